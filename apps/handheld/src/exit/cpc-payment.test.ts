import type { PaymentStatus } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import { changeFor, parseTendered, paymentView, scannedAuthCode } from './cpc-payment';
import { paymentStatus } from './testing';

const status = (over: Partial<PaymentStatus>) => paymentStatus({ amount: 3500, ...over });

describe('the tendered amount', () => {
  it('reads yuan with up to two decimals as fen', () => {
    expect(parseTendered('100')).toBe(10000);
    expect(parseTendered(' 50.5 ')).toBe(5050);
    expect(parseTendered('50.05')).toBe(5005);
  });
  it('refuses what is not an amount', () => {
    for (const t of ['', 'abc', '-5', '1.234', '1e3', '12345678']) expect(parseTendered(t)).toBeNull();
  });
  it('gives the change, or null when the customer gave less than is due', () => {
    expect(changeFor(3500, 5000)).toBe(1500);
    expect(changeFor(3500, 3500)).toBe(0);
    expect(changeFor(3500, 3400)).toBeNull();
  });
});

describe('a scanned 付款码', () => {
  it('keeps the digits a scanner typed, grouped or with a trailing newline', () => {
    expect(scannedAuthCode('134512345678900001\n')).toBe('134512345678900001');
    expect(scannedAuthCode('1345 1234 5678 9000 01')).toBe('134512345678900001');
  });
  it('does not refuse an unknown prefix (the station classifies it), only what is not a code', () => {
    expect(scannedAuthCode('9912345678900001')).toBe('9912345678900001');
    expect(scannedAuthCode('123')).toBeNull();
    expect(scannedAuthCode('https://qr.example/x')).toBeNull();
  });
});

describe('what the screen shows of a payment', () => {
  it('shows the station’s password line while the payer confirms, and lets the collector stop', () => {
    const v = paymentView(status({ phase: 'user-paying', message: '请顾客在手机上输入支付密码' }));
    expect(v).toMatchObject({ tone: 'wait', text: '请顾客在手机上输入支付密码', paid: false, canStop: true });
  });
  it('an unclear outcome is waited for: no retry, no second payment', () => {
    const v = paymentView(status({ phase: 'unknown', pending: true }));
    expect(v.canRetry).toBe(false);
    expect(v.paid).toBe(false);
  });
  it('paid only when succeeded', () => {
    expect(paymentView(status({ phase: 'succeeded', final: true })).paid).toBe(true);
    expect(paymentView(status({ phase: 'cancelling' })).paid).toBe(false);
  });
  it('a final not-paid end allows another code or cash, a non-final one does not', () => {
    expect(paymentView(status({ phase: 'failed', final: true, reason: 'insufficient' })).canRetry).toBe(true);
    expect(paymentView(status({ phase: 'reversed', final: true })).canRetry).toBe(true);
    expect(paymentView(status({ phase: 'unpaid', final: false })).canRetry).toBe(false);
  });
});
