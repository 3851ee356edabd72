import { run, runAll } from '../../src/database/sql';
import { DocumentKind } from '../../src/modules/inquiries/entities/inquiry-document.entity';
import { InquiryDocumentRepository } from '../../src/modules/inquiries/inquiry-document.repository';
import { InquiryRepository } from '../../src/modules/inquiries/inquiry.repository';
import { createTestDb, TestDb } from '../helpers/test-app';
import { arrangeOwners, draftRow } from './inquiry-fixtures';

const INQUIRY = '00000000-0000-7000-8000-0000000d0001';
const doc = (n: number, kind: DocumentKind, key: string) => ({
  id: `00000000-0000-7000-8000-0000000d010${n}`,
  inquiryId: INQUIRY,
  kind,
  objectKey: key,
  size: 1000 + n,
  contentType: 'image/jpeg',
  sha256: `sha-${n}`,
  originalSha256: `orig-${n}`,
  originalName: n === 1 ? 'deed.jpg' : null,
  width: 800,
  height: 600,
});

describe('InquiryDocumentRepository (real database)', () => {
  let db: TestDb;
  const repo = new InquiryDocumentRepository();
  beforeAll(async () => {
    db = await createTestDb();
    await arrangeOwners(db);
    await run(db.em(), new InquiryRepository().insert(draftRow(INQUIRY)));
  });
  afterAll(() => db?.close());

  it('writes a document per kind, replaces it, and reads kinds, one and all', async () => {
    const [first] = await runAll(db.em(), [repo.upsert(doc(1, DocumentKind.Deed, 'documents/a')), repo.upsert(doc(2, DocumentKind.NationalCard, 'documents/b'))]);
    expect(first).toMatchObject({ kind: 'deed', objectKey: 'documents/a', size: 1001, sha256: 'sha-1', width: 800, height: 600, originalName: 'deed.jpg' });
    expect(first.uploadedAt).toBeInstanceOf(Date);
    const replaced = await run(db.em(), repo.upsert(doc(3, DocumentKind.Deed, 'documents/c')));
    expect(replaced).toMatchObject({ kind: 'deed', objectKey: 'documents/c', size: 1003, originalName: null });
    expect((await run(db.em(), repo.kinds(INQUIRY))).sort()).toEqual(['deed', 'national_card']);
    expect((await run(db.em(), repo.ofInquiry(INQUIRY))).map((d) => [d.kind, d.objectKey])).toEqual([
      ['deed', 'documents/c'],
      ['national_card', 'documents/b'],
    ]);
    expect((await run(db.em(), repo.find(INQUIRY, DocumentKind.NationalCard)))?.sha256).toBe('sha-2');
    expect(await run(db.em(), repo.find(INQUIRY, DocumentKind.OfficeLetter))).toBeNull();
    const stored = await db.sql<{ n: string }>(`select count(*)::text as n from inquiry_document where inquiry_id = $1`, [INQUIRY]);
    expect(stored).toEqual([{ n: '2' }]);
  });
});
