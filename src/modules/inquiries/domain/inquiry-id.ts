const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An inquiry id from a URL is a UUID; anything else is answered NOT_FOUND before any query. */
export function isInquiryId(id: string): boolean {
  return UUID.test(id);
}
