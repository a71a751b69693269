// Per-StakingNode tally of selections and votes by height, over the statistics window.
import type { Hex } from '../../util/hex.js';

export interface VoteTally {
  /** Delegated tickets of the node drawn in concluded lotteries. */
  selected: number;
  /** Of those, how many the node itself voted. */
  voted: number;
}

export interface NodeWindowTally extends VoteTally {
  missed: number;
}

export type NodeVoteStatsJson = [nodeId: Hex, perHeight: [height: number, selected: number, voted: number][]][];

/**
 * Per-node, per-height tally of delegated selections and the node's votes, over confirmed blocks
 * and lotteries that ran out their window. Drives seed's StakingNode penalty.
 */
export class NodeVoteStats {
  private readonly byNode = new Map<Hex, Map<number, VoteTally>>();

  record(nodeId: Hex, height: number, selected: number, voted: number): void {
    let perHeight = this.byNode.get(nodeId);
    if (!perHeight) this.byNode.set(nodeId, (perHeight = new Map()));
    const tally = perHeight.get(height) ?? { selected: 0, voted: 0 };
    perHeight.set(height, { selected: tally.selected + selected, voted: tally.voted + voted });
  }

  /** Tally over the `span` heights ending at `toHeight` (inclusive). */
  window(nodeId: Hex, toHeight: number, span: number): NodeWindowTally {
    const total = { selected: 0, voted: 0, missed: 0 };
    for (const [height, tally] of this.byNode.get(nodeId) ?? []) {
      if (height > toHeight - span && height <= toHeight) {
        total.selected += tally.selected;
        total.voted += tally.voted;
      }
    }
    total.missed = total.selected - total.voted;
    return total;
  }

  /** Drops heights below `minHeight`. */
  prune(minHeight: number): void {
    for (const [nodeId, perHeight] of this.byNode) {
      for (const height of perHeight.keys()) if (height < minHeight) perHeight.delete(height);
      if (perHeight.size === 0) this.byNode.delete(nodeId);
    }
  }

  toJson(): NodeVoteStatsJson {
    return [...this.byNode].map(([nodeId, perHeight]) => [
      nodeId,
      [...perHeight].map(([height, tally]) => [height, tally.selected, tally.voted] as [number, number, number]),
    ]);
  }

  static fromJson(json: NodeVoteStatsJson): NodeVoteStats {
    const stats = new NodeVoteStats();
    for (const [nodeId, perHeight] of json) {
      for (const [height, selected, voted] of perHeight) stats.record(nodeId, height, selected, voted);
    }
    return stats;
  }
}
