// Plain-JSON forms of blocks and stake transactions for the key-value store (bigints as
// decimal strings, bytes as 0x hex).
import type { SealedHeader } from '../../pow/header.js';
import { bytesTo0x, hexToBytes, type Hex } from '../../util/hex.js';
import type { SelectedTicket, StakeTx, TxResult, Vote } from '../stake/types.js';
import type { ChainBlock } from './block.js';

export interface SealedHeaderJson {
  parentHash: Hex;
  coinbase: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  logsBloom: Hex;
  difficulty: string;
  number: string;
  gasLimit: string;
  gasUsed: string;
  timestamp: string;
  extraData: Hex;
}

export interface ChainBlockJson {
  header: SealedHeaderJson;
  mixDigest: Hex;
  nonce: string;
  currentVotes: Vote[];
  parentVotes: Vote[];
  posHash: Hex;
  selection: SelectedTicket[];
  finder: string;
  addedAt: number;
  txResults: TxResultJson[];
}

export function headerToJson(h: SealedHeader): SealedHeaderJson {
  return {
    parentHash: bytesTo0x(h.parentHash),
    coinbase: bytesTo0x(h.coinbase),
    stateRoot: bytesTo0x(h.stateRoot),
    transactionsRoot: bytesTo0x(h.transactionsRoot),
    receiptsRoot: bytesTo0x(h.receiptsRoot),
    logsBloom: bytesTo0x(h.logsBloom),
    difficulty: h.difficulty.toString(),
    number: h.number.toString(),
    gasLimit: h.gasLimit.toString(),
    gasUsed: h.gasUsed.toString(),
    timestamp: h.timestamp.toString(),
    extraData: bytesTo0x(h.extraData),
  };
}

export function headerFromJson(j: SealedHeaderJson): SealedHeader {
  return {
    parentHash: hexToBytes(j.parentHash),
    coinbase: hexToBytes(j.coinbase),
    stateRoot: hexToBytes(j.stateRoot),
    transactionsRoot: hexToBytes(j.transactionsRoot),
    receiptsRoot: hexToBytes(j.receiptsRoot),
    logsBloom: hexToBytes(j.logsBloom),
    difficulty: BigInt(j.difficulty),
    number: BigInt(j.number),
    gasLimit: BigInt(j.gasLimit),
    gasUsed: BigInt(j.gasUsed),
    timestamp: BigInt(j.timestamp),
    extraData: hexToBytes(j.extraData),
  };
}

export function blockToJson(block: ChainBlock): ChainBlockJson {
  return {
    header: headerToJson(block.header),
    mixDigest: bytesTo0x(block.mixDigest),
    nonce: block.nonce.toString(),
    currentVotes: [...block.currentVotes],
    parentVotes: [...block.parentVotes],
    posHash: block.posHash,
    selection: [...block.selection],
    finder: block.finder,
    addedAt: block.addedAt,
    txResults: block.txResults.map(txResultToJson),
  };
}

export function blockFromJson(j: ChainBlockJson): ChainBlock {
  return {
    ...j,
    header: headerFromJson(j.header),
    mixDigest: hexToBytes(j.mixDigest, 32),
    nonce: BigInt(j.nonce),
    txResults: j.txResults.map(txResultFromJson),
  };
}

export type StakeTxJson = Omit<StakeTx, 'value'> & { value?: string };

export function txToJson(tx: StakeTx): StakeTxJson {
  return tx.type === 'close-node' ? { ...tx } : ({ ...tx, value: tx.value.toString() } as StakeTxJson);
}

export function txFromJson(j: StakeTxJson): StakeTx {
  return (j.type === 'close-node' ? { ...j } : { ...j, value: BigInt(j.value ?? '0') }) as StakeTx;
}

/** The amount fields of a transaction result. */
const TX_RESULT_AMOUNTS = ['averagePrice', 'charged', 'change', 'refunded'] as const;
export type TxResultJson = Record<string, unknown>;

export function txResultToJson(result: TxResult): TxResultJson {
  const json: TxResultJson = { ...result };
  for (const key of TX_RESULT_AMOUNTS) if (typeof json[key] === 'bigint') json[key] = (json[key] as bigint).toString();
  return json;
}

export function txResultFromJson(json: TxResultJson): TxResult {
  const result: TxResultJson = { ...json };
  for (const key of TX_RESULT_AMOUNTS) if (typeof result[key] === 'string') result[key] = BigInt(result[key] as string);
  return result as unknown as TxResult;
}
