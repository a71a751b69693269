// Ticket pricing (stake-mainnet.md 4.2): the price of the next ticket and what a purchase buys.
import { TA_PER_SERO } from '../util/sero-amount.js';

export interface TicketPricing {
  /** Price of a ticket when no ticket is outstanding. */
  readonly basePrice: bigint;
  /** Price increase per outstanding ticket (in the tree or bought earlier in the same block). */
  readonly priceStep: bigint;
  /** Tickets one purchase can buy at most; the rest of the value is returned. */
  readonly maxTicketsPerPurchase: number;
}

/** stake-mainnet.md 4.2 / section 7; both profiles use it. */
export const SERO_TICKET_PRICING: TicketPricing = Object.freeze({
  basePrice: 2n * TA_PER_SERO,
  priceStep: 759_357_240_838_722n,
  maxTicketsPerPurchase: 1000,
});

/** `CurrentPrice()`: base + step × outstanding tickets. */
export function ticketPrice(pricing: TicketPricing, outstandingTickets: number): bigint {
  return pricing.basePrice + pricing.priceStep * BigInt(outstandingTickets);
}

/** `S(k)`: cost of `k` tickets when the first costs `startPrice` and each next one a step more. */
export function costOfTickets(pricing: TicketPricing, count: bigint, startPrice: bigint): bigint {
  return startPrice * count + (count * (count - 1n) * pricing.priceStep) / 2n;
}

export interface PurchaseQuote {
  tickets: number;
  /** Principal of every ticket of the purchase (refunded per ticket later). */
  averagePrice: bigint;
  charged: bigint;
  /** Returned to the buyer at once. */
  change: bigint;
}

/** `CaleAvgPrice` plus the per-purchase cap of `applyStake`. */
export function quotePurchase(pricing: TicketPricing, value: bigint, outstandingTickets: number): PurchaseQuote {
  if (value < 0n) throw new RangeError('purchase value must not be negative');
  const startPrice = ticketPrice(pricing, outstandingTickets);
  const affordable = value / startPrice;
  let tickets: bigint;
  let averagePrice: bigint;
  if (affordable <= 1n) {
    tickets = affordable;
    averagePrice = startPrice;
  } else {
    let low = 1n;
    let high = affordable;
    while (low < high) {
      const mid = (low + high + 1n) / 2n;
      if (costOfTickets(pricing, mid, startPrice) <= value) low = mid;
      else high = mid - 1n;
    }
    tickets = low;
    averagePrice = costOfTickets(pricing, tickets, startPrice) / tickets;
  }
  const cap = BigInt(pricing.maxTicketsPerPurchase);
  if (tickets > cap) {
    tickets = cap;
    averagePrice = costOfTickets(pricing, cap, startPrice) / cap;
  }
  const charged = averagePrice * tickets;
  return { tickets: Number(tickets), averagePrice, charged, change: value - charged };
}
