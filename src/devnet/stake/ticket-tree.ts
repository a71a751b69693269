// go-sero's ticket tree: shares weighted by their tickets, so a drawn ticket index finds its share.
import type { Hex } from '../../util/hex.js';

interface TreeNode {
  readonly key: Hex;
  tickets: number;
  total: number;
  height: number;
  left: TreeNode | null;
  right: TreeNode | null;
}

const heightOf = (node: TreeNode | null): number => (node ? node.height : 0);
const totalOf = (node: TreeNode | null): number => (node ? node.total : 0);

function refresh(node: TreeNode): TreeNode {
  node.height = 1 + Math.max(heightOf(node.left), heightOf(node.right));
  node.total = node.tickets + totalOf(node.left) + totalOf(node.right);
  return node;
}

function rotateRight(node: TreeNode): TreeNode {
  const pivot = node.left!;
  node.left = pivot.right;
  pivot.right = refresh(node);
  return refresh(pivot);
}

function rotateLeft(node: TreeNode): TreeNode {
  const pivot = node.right!;
  node.right = pivot.left;
  pivot.left = refresh(node);
  return refresh(pivot);
}

function rebalance(node: TreeNode): TreeNode {
  refresh(node);
  const balance = heightOf(node.left) - heightOf(node.right);
  if (balance > 1) {
    if (heightOf(node.left!.left) < heightOf(node.left!.right)) node.left = rotateLeft(node.left!);
    return rotateRight(node);
  }
  if (balance < -1) {
    if (heightOf(node.right!.right) < heightOf(node.right!.left)) node.right = rotateRight(node.right!);
    return rotateLeft(node);
  }
  return node;
}

/**
 * Order-statistics AVL tree of shares keyed by share id, weighted by remaining tickets:
 * go-sero's ticket tree. Share ids are fixed-length lowercase hex, so string order equals
 * the unsigned big-endian 256-bit order that decides which share owns which ticket index.
 */
export class TicketTree {
  private root: TreeNode | null = null;
  private count = 0;

  /** Total tickets in the tree (the "pool size" the price and the draw use). */
  get size(): number {
    return totalOf(this.root);
  }

  /** Number of shares with at least one ticket in the tree. */
  get shareCount(): number {
    return this.count;
  }

  ticketsOf(key: Hex): number {
    let node = this.root;
    while (node) {
      if (key === node.key) return node.tickets;
      node = key < node.key ? node.left : node.right;
    }
    return 0;
  }

  insert(key: Hex, tickets: number): void {
    if (!Number.isInteger(tickets) || tickets <= 0) throw new RangeError(`cannot insert ${tickets} tickets`);
    if (this.ticketsOf(key) > 0) throw new Error(`share ${key} is already in the ticket tree`);
    this.root = this.insertAt(this.root, key, tickets);
    this.count += 1;
  }

  /** Takes `tickets` away from a share; the share leaves the tree at zero. */
  remove(key: Hex, tickets: number): void {
    const held = this.ticketsOf(key);
    if (!Number.isInteger(tickets) || tickets <= 0 || tickets > held) {
      throw new RangeError(`cannot remove ${tickets} tickets from share ${key} holding ${held}`);
    }
    if (tickets === held) {
      this.root = this.deleteAt(this.root, key);
      this.count -= 1;
    } else {
      this.adjust(key, -tickets);
    }
  }

  /** The share owning ticket `index` (0-based) when shares are laid out in ascending id order. */
  findByIndex(index: number): Hex {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`ticket index ${index} outside 0..${this.size - 1}`);
    }
    let node = this.root!;
    let rest = index;
    for (;;) {
      const leftTotal = totalOf(node.left);
      if (rest < leftTotal) {
        node = node.left!;
      } else if (rest < leftTotal + node.tickets) {
        return node.key;
      } else {
        rest -= leftTotal + node.tickets;
        node = node.right!;
      }
    }
  }

  /** Shares in ascending id order with their tickets. */
  *entries(): IterableIterator<[Hex, number]> {
    const stack: TreeNode[] = [];
    let node = this.root;
    while (node || stack.length) {
      while (node) {
        stack.push(node);
        node = node.left;
      }
      const next = stack.pop()!;
      yield [next.key, next.tickets];
      node = next.right;
    }
  }

  /** Height of the tree (for balance checks). */
  get height(): number {
    return heightOf(this.root);
  }

  private adjust(key: Hex, delta: number): void {
    const path: TreeNode[] = [];
    let node = this.root;
    while (node && node.key !== key) {
      path.push(node);
      node = key < node.key ? node.left : node.right;
    }
    node!.tickets += delta;
    node!.total += delta;
    for (const ancestor of path) ancestor.total += delta;
  }

  private insertAt(node: TreeNode | null, key: Hex, tickets: number): TreeNode {
    if (!node) return { key, tickets, total: tickets, height: 1, left: null, right: null };
    if (key < node.key) node.left = this.insertAt(node.left, key, tickets);
    else node.right = this.insertAt(node.right, key, tickets);
    return rebalance(node);
  }

  private deleteAt(node: TreeNode | null, key: Hex): TreeNode | null {
    if (!node) return null;
    if (key < node.key) {
      node.left = this.deleteAt(node.left, key);
    } else if (key > node.key) {
      node.right = this.deleteAt(node.right, key);
    } else {
      if (!node.left || !node.right) return node.left ?? node.right;
      let successor = node.right;
      while (successor.left) successor = successor.left;
      const replacement: TreeNode = { ...successor, left: node.left, right: this.deleteAt(node.right, successor.key) };
      return rebalance(replacement);
    }
    return rebalance(node);
  }
}
