import type {
  DynamicCodeAnswer,
  DynamicCodeRequest,
  PayAnswer,
  PayByCodeRequest,
  PaymentPort,
  QueryAnswer,
  RefundAnswer,
  RefundRequest,
  ReverseAnswer,
  SettlementAnswer,
} from '../port';

/**
 * A small in-memory model of a payment platform (TEST) for the property tests: it processes a request at
 * the moment it is sent and can lose or delay the answer. It enforces nothing on the station's behalf (no
 * "already paid" under a pay ID), so the properties measure the station's safeguards, not the platform's.
 * The reference platform that stands in for the outside world is apps/paygate.
 */
export type Fault = 'deliver' | 'lose-before' | 'lose-after' | 'late' | 'system-error' | 'throw';

/** What the payer does with an order: pay at once, confirm after n queries, abandon after n, or fail. */
export type Scenario =
  | { readonly kind: 'paid' }
  | { readonly kind: 'paying'; readonly queries: number; readonly ending: 'paid' | 'abandon' }
  | { readonly kind: 'insufficient' }
  | { readonly kind: 'code-invalid' };

export interface ModelOrder {
  readonly outTradeNo: string;
  readonly payId: string;
  readonly amountFen: number;
  state: 'paying' | 'paid' | 'closed' | 'reversed';
  queriesLeft: number;
  ending: 'paid' | 'abandon';
  readonly createdAtMs: number;
  readonly orderNo: string;
}

export interface LogEntry {
  readonly op: 'pay' | 'dynamic' | 'query' | 'reverse' | 'refund';
  readonly outTradeNo: string;
  readonly amountFen?: number;
  /** What the platform answered (before any loss). */
  readonly answer: string;
  readonly processed: boolean;
  readonly delivered: boolean;
}

export interface LateAnswer {
  readonly source: 'pay' | 'query' | 'reverse';
  readonly answer: PayAnswer | QueryAnswer | ReverseAnswer;
}

export class ModelPlatform implements PaymentPort {
  readonly orders = new Map<string, ModelOrder>();
  readonly log: LogEntry[] = [];
  readonly late: LateAnswer[] = [];
  private serial = 0;

  constructor(
    private readonly opts: {
      now: () => Date;
      nextFault: () => Fault;
      scenarioOf: (authCode: string) => Scenario;
      cancelMinMs?: number;
    },
  ) {}

  /** Orders that hold money: paid and not reversed. */
  captured(payId: string): ModelOrder[] {
    return [...this.orders.values()].filter((o) => o.payId === payId && o.state === 'paid');
  }

  private async faulty<A extends { kind: string }>(
    op: LogEntry['op'],
    outTradeNo: string,
    amountFen: number | undefined,
    source: LateAnswer['source'] | null,
    process: () => A,
  ): Promise<A | { kind: 'unknown'; reason: 'timeout' | 'system-error' }> {
    const fault = this.opts.nextFault();
    if (fault === 'lose-before') {
      this.log.push({ op, outTradeNo, amountFen, answer: 'none', processed: false, delivered: false });
      return { kind: 'unknown', reason: 'timeout' };
    }
    const answer = process();
    const delivered = fault === 'deliver';
    this.log.push({ op, outTradeNo, amountFen, answer: answer.kind, processed: true, delivered });
    if (fault === 'deliver') return answer;
    if (fault === 'late' && source) {
      this.late.push({ source, answer: answer as unknown as LateAnswer['answer'] });
    }
    if (fault === 'throw') throw new Error('TEST connection reset');
    return { kind: 'unknown', reason: fault === 'system-error' ? 'system-error' : 'timeout' };
  }

  private paidFacts(o: ModelOrder) {
    return {
      outTradeNo: o.outTradeNo,
      amountFen: o.amountFen,
      platformOrderNo: o.orderNo,
      paidAt: this.opts.now().toISOString(),
      channel: 'WECHAT' as const,
    };
  }

  private create(outTradeNo: string, payId: string, amountFen: number, scenario: Scenario): ModelOrder {
    const order: ModelOrder = {
      outTradeNo,
      payId,
      amountFen,
      state: scenario.kind === 'paid' ? 'paid' : scenario.kind === 'paying' ? 'paying' : 'closed',
      queriesLeft: scenario.kind === 'paying' ? scenario.queries : 0,
      ending: scenario.kind === 'paying' ? scenario.ending : 'abandon',
      createdAtMs: this.opts.now().getTime(),
      orderNo: `TEST${String(++this.serial).padStart(8, '0')}`,
    };
    this.orders.set(outTradeNo, order);
    return order;
  }

  private payAnswerOf(o: ModelOrder, declined: 'insufficient' | 'code-invalid' | 'closed'): PayAnswer {
    if (o.state === 'paid') return { kind: 'paid', ...this.paidFacts(o) };
    if (o.state === 'paying') return { kind: 'user-paying', outTradeNo: o.outTradeNo };
    return { kind: 'declined', outTradeNo: o.outTradeNo, reason: declined };
  }

  payByCode(request: PayByCodeRequest): Promise<PayAnswer> {
    return this.faulty('pay', request.outTradeNo, request.amountFen, 'pay', (): PayAnswer => {
      const existing = this.orders.get(request.outTradeNo);
      if (existing) {
        if (existing.amountFen !== request.amountFen) {
          return { kind: 'out-trade-no-used', outTradeNo: request.outTradeNo };
        }
        return this.payAnswerOf(existing, 'closed');
      }
      const scenario = this.opts.scenarioOf(request.authCode);
      const order = this.create(request.outTradeNo, request.payId, request.amountFen, scenario);
      const declined = scenario.kind === 'insufficient' ? 'insufficient' : 'code-invalid';
      return this.payAnswerOf(order, declined);
    });
  }

  createDynamicCode(request: DynamicCodeRequest): Promise<DynamicCodeAnswer> {
    return this.faulty('dynamic', request.outTradeNo, request.amountFen, null, (): DynamicCodeAnswer => {
      const existing = this.orders.get(request.outTradeNo);
      if (existing && existing.amountFen !== request.amountFen) {
        return { kind: 'out-trade-no-used', outTradeNo: request.outTradeNo };
      }
      if (!existing) {
        this.create(request.outTradeNo, request.payId, request.amountFen, {
          kind: 'paying',
          queries: 2,
          ending: 'paid',
        });
      }
      return {
        kind: 'created',
        outTradeNo: request.outTradeNo,
        codeUrl: `https://pay.test.invalid/q/${request.outTradeNo}`,
        expiresAt: new Date(this.opts.now().getTime() + request.expiresInSeconds * 1000).toISOString(),
      };
    });
  }

  query(outTradeNo: string): Promise<QueryAnswer> {
    return this.faulty('query', outTradeNo, undefined, 'query', (): QueryAnswer => {
      const o = this.orders.get(outTradeNo);
      if (!o) return { kind: 'not-found', outTradeNo };
      if (o.state === 'paying') {
        if (o.queriesLeft > 0) o.queriesLeft--;
        else o.state = o.ending === 'paid' ? 'paid' : 'closed';
      }
      if (o.state === 'paying') return { kind: 'paying', outTradeNo };
      if (o.state === 'paid') return { kind: 'paid', refundedFen: 0, ...this.paidFacts(o) };
      return { kind: 'closed', outTradeNo };
    });
  }

  reverse(outTradeNo: string): Promise<ReverseAnswer> {
    return this.faulty('reverse', outTradeNo, undefined, 'reverse', (): ReverseAnswer => {
      const o = this.orders.get(outTradeNo);
      if (o && this.opts.now().getTime() - o.createdAtMs < (this.opts.cancelMinMs ?? 15_000)) {
        return { kind: 'too-early', outTradeNo };
      }
      if (!o) {
        // Alipay: a cancel of a never-created trade succeeds, and the number is closed for good.
        this.orders.set(outTradeNo, {
          outTradeNo,
          payId: outTradeNo.replace(/-\d+$/, ''),
          amountFen: 0,
          state: 'closed',
          queriesLeft: 0,
          ending: 'abandon',
          createdAtMs: this.opts.now().getTime(),
          orderNo: 'TEST-NONE',
        });
        return { kind: 'closed', outTradeNo };
      }
      if (o.state === 'paid' || o.state === 'reversed') {
        o.state = 'reversed';
        return { kind: 'reversed', outTradeNo, amountFen: o.amountFen };
      }
      o.state = 'closed';
      return { kind: 'closed', outTradeNo };
    });
  }

  refund(request: RefundRequest): Promise<RefundAnswer> {
    return Promise.resolve({ kind: 'refused', refundNo: request.refundNo, reason: 'not-paid' });
  }

  settlement(day: string): Promise<SettlementAnswer> {
    return Promise.resolve({ kind: 'not-yet', day, availableAt: `${day}T09:00:00+08:00` });
  }
}
