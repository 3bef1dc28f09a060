/** The provider declined the card; the provider rejects with this class. */
export class DeclinedError extends Error {
  override name = "DeclinedError";
  readonly code = "CARD_DECLINED";
  constructor(readonly declineCode: string) {
    super(`the card was declined (${declineCode})`);
  }
}
