/**
 * Options every multipart (multer) reader shares: file names are read as UTF-8 (browsers and
 * HTTP clients send `filename="کارت-ملی.jpg"` as raw UTF-8; busboy's default would read
 * them as latin1 and store mojibake). RFC 5987 `filename*=` names declare their own charset.
 */
export const MULTIPART_OPTIONS = { defParamCharset: 'utf8' } as const;
