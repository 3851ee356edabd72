import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import { MaxChars } from '@app/common';

export class JwkDto {
  @ApiProperty({ example: 'OKP' }) kty: 'OKP';
  @ApiProperty({ example: 'Ed25519' }) crv: 'Ed25519';
  @ApiProperty({ example: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', description: 'Public key (base64url)' }) x: string;
  @ApiProperty({ example: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k', description: 'RFC 7638 thumbprint' }) kid: string;
  @ApiProperty({ example: 'EdDSA' }) alg: 'EdDSA';
  @ApiProperty({ example: 'sig' }) use: 'sig';
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto] }) keys: JwkDto[];
}

export class VerifyQuery {
  @ApiProperty({ example: '1404-1-000012', description: 'Certificate number printed on the letter' })
  @IsString()
  @MaxChars(40)
  number: string;

  @ApiProperty({ example: '7K3QX9MB', description: 'Verification code printed on the letter (case-insensitive)' })
  @IsString()
  @MaxChars(20)
  code: string;
}

export class VerifyJwsDto {
  @ApiProperty({ example: 'eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxNDA0LTEtMDAwMDEyIn0.c2ln', description: 'The JWS from the answer JSON, or the whole text of the QR code (`<verify URL>#jws=<JWS>`)' })
  @IsString()
  @MinLength(10)
  @MaxChars(10000)
  jws: string;
}

export class RevokeCertificateDto {
  @ApiProperty({ example: 'صدور بر اساس سند مخدوش', description: 'Why the certificate is revoked (shown by verification)' })
  @IsString()
  @MinLength(3)
  @MaxChars(500)
  reason: string;
}

export class CertificateFactsDto {
  @ApiProperty({ example: '1404-1-000012' }) number: string;
  @ApiProperty({ enum: ['office', 'notary'], example: 'office' }) inquiryType: string;
  @ApiProperty({ example: 1 }) region: number;
  @ApiProperty({ example: '1-7-12-34-0-0-0' }) renewalCode: string;
  @ApiProperty({ example: '2026-11-25T08:30:00.000Z' }) issuedAt: string;
  @ApiProperty({ example: '1405/09/04' }) issuedAtJalali: string;
  @ApiProperty({ example: '2027-02-23T08:30:00.000Z' }) validUntil: string;
  @ApiProperty({ example: '1405/12/04' }) validUntilJalali: string;
  @ApiProperty({ example: 'بانک ملی ایران، شعبه مرکزی قزوین' }) addressee: string;
  @ApiProperty({ example: 'b1946ac92492d2347c6235b4d2611184e0f2f0a3c1f5c1a1e1d6e7c4b3a29180', description: 'SHA-256 of the canonical answer content' })
  contentHash: string;
  @ApiProperty({ example: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k' }) kid: string;
  @ApiProperty({ example: null, nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) revocationReason: string | null;
}

export class VerificationDto {
  @ApiProperty({ enum: ['valid', 'revoked', 'expired', 'unknown', 'invalid'], example: 'valid' })
  status: 'valid' | 'revoked' | 'expired' | 'unknown' | 'invalid';
  @ApiPropertyOptional({ example: 'bad_signature', description: 'Why a JWS is invalid (malformed, unknown_key, bad_signature, bad_claims, content_mismatch)' })
  reason?: string;
  @ApiProperty({ type: CertificateFactsDto, nullable: true }) certificate: CertificateFactsDto | null;
}

export class AnswerQuery {
  @ApiPropertyOptional({ enum: ['json', 'html', 'pdf'], example: 'json' })
  @IsOptional()
  @IsIn(['json', 'html', 'pdf'])
  format?: 'json' | 'html' | 'pdf';
}

export class AnswerDto {
  @ApiProperty({ example: '1404-1-000012' }) number: string;
  @ApiProperty({ example: '7K3QX9MB' }) verificationCode: string;
  @ApiProperty({ example: '2026-11-25T08:30:00.000Z' }) issuedAt: string;
  @ApiProperty({ example: '1405/09/04 12:00' }) issuedAtJalali: string;
  @ApiProperty({ example: '2027-02-23T08:30:00.000Z' }) validUntil: string;
  @ApiProperty({ enum: ['valid', 'revoked'], example: 'valid' }) status: 'valid' | 'revoked';
  @ApiProperty({ example: null, nullable: true, type: String }) revocationReason: string | null;
  @ApiProperty({ example: 'b1946ac92492d2347c6235b4d2611184e0f2f0a3c1f5c1a1e1d6e7c4b3a29180' }) contentHash: string;
  @ApiProperty({ example: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxNDA0LTEtMDAwMDEyIn0.c2ln', description: 'Compact JWS (EdDSA); its `sha256` claim is the content hash' })
  jws: string;
  @ApiProperty({ example: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k' }) kid: string;
  @ApiProperty({ example: 'https://shahr.qazvin.ir/api/v1/certificates/verify?number=1404-1-000012&code=7K3QX9MB' }) verifyUrl: string;
  @ApiProperty({
    description: 'The canonical answer content (what the content hash covers)',
    example: { kind: 'inquiry_answer', version: 1, number: '1404-1-000012', inquiryType: 'office', property: { renewalCode: '1-7-12-34-0-0-0' } },
  })
  content: Record<string, unknown>;
  @ApiProperty({ example: true, description: 'Whether the PDF has been rendered' }) pdfReady: boolean;
}
