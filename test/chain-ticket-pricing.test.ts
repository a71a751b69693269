import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SERO_TICKET_PRICING, costOfTickets, quotePurchase, ticketPrice } from '../src/chain/ticket-pricing.js';

const E18 = 10n ** 18n;

test('ticket price vectors (stake-mainnet.md 8)', () => {
  assert.equal(ticketPrice(SERO_TICKET_PRICING, 0), 2000000000000000000n);
  assert.equal(ticketPrice(SERO_TICKET_PRICING, 20000), 17187144816774440000n);
  assert.equal(ticketPrice(SERO_TICKET_PRICING, 100000), 77935724083872200000n);
});

test('purchase vectors: tickets, average price, charged, change (stake-mainnet.md 8)', () => {
  const cases: [number, bigint, number, bigint | null, bigint, bigint][] = [
    [0, 1999999999999999999n, 0, null, 0n, 1999999999999999999n],
    [0, 2n * E18, 1, 2n * E18, 2n * E18, 0n],
    [0, 5n * E18, 2, 2000379678620419361n, 4000759357240838722n, 999240642759161278n],
    [0, 100n * E18, 49, 2018224573780129328n, 98893004115226337072n, 1106995884773662928n],
    [20000, 1000n * E18, 58, 17208786498138343577n, 998109616892023927466n, 1890383107976072534n],
    [0, 100000n * E18, 1000, 2379298941798941639n, 2379298941798941639000n, 97620701058201058361000n],
  ];
  for (const [pool, value, tickets, average, charged, change] of cases) {
    const quote = quotePurchase(SERO_TICKET_PRICING, value, pool);
    const label = `pool ${pool}, value ${value}`;
    assert.equal(quote.tickets, tickets, label);
    if (average !== null) assert.equal(quote.averagePrice, average, label);
    assert.equal(quote.charged, charged, label);
    assert.equal(quote.change, change, label);
  }
});

test('S(k) is an arithmetic series: 2 tickets from an empty pool cost 4 SERO plus one step', () => {
  assert.equal(costOfTickets(SERO_TICKET_PRICING, 2n, 2n * E18), 4n * E18 + 759_357_240_838_722n);
  assert.equal(costOfTickets(SERO_TICKET_PRICING, 1n, 7n), 7n);
});

test('the quoted count is the largest affordable', () => {
  const quote = quotePurchase(SERO_TICKET_PRICING, 100n * E18, 0);
  const start = ticketPrice(SERO_TICKET_PRICING, 0);
  assert.ok(costOfTickets(SERO_TICKET_PRICING, 49n, start) <= 100n * E18);
  assert.ok(costOfTickets(SERO_TICKET_PRICING, 50n, start) > 100n * E18);
  assert.equal(quote.tickets, 49);
});
