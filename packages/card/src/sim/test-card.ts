import { type IssueCardOptions, type IssuedCard, issueCard } from './issuer';

/**
 * TEST ONLY: the card the card layer's tests start from, a class-1 car 苏A12345 on a stored-value 3DES card
 * holding 500.00 yuan; `over` changes any of it.
 */
export function issueTestCard(over: Partial<IssueCardOptions> = {}): IssuedCard {
  return issueCard({
    plate: '苏A12345',
    colour: 0,
    class: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    ...over,
  });
}
