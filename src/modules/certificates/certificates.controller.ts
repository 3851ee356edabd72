import { Body, Controller, Get, HttpCode, Ip, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Actor, ApiProblems, CurrentActor, PathParam, PERSIAN_PAGE_CSP, prefersHtml, Principals, Public, Roles, VerifiedIdentity } from '@app/common';
import { CertificatesService } from './certificates.service';
import { AnswerDto, AnswerQuery, JwksDto, RevokeCertificateDto, VerificationDto, VerifyJwsDto, VerifyQuery } from './dto/certificate.dto';

@ApiTags('certificates')
@Controller('certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get('keys')
  @Public()
  @ApiOperation({
    summary: 'Public keys of answer certificates (JWKS)',
    description: 'Ed25519 keys (OKP JWK, `kid` = RFC 7638 thumbprint) that verify the JWS of every answer offline.',
  })
  @ApiOkResponse({ type: JwksDto })
  @ApiProblems()
  keys(): JwksDto {
    return this.certificates.jwks();
  }

  @Get('verify')
  @Public()
  @ApiOperation({
    summary: 'Verify a certificate by its number and code (تصدیق گواهی)',
    description:
      'The URL in the QR code of every answer letter (`…/certificates/verify?number=…&code=…#jws=…`; the fragment, the JWS for ' +
      'offline checks, never reaches the server). A browser (`Accept: text/html`) gets a Persian page for a person: ' +
      'معتبر / باطل شده / منقضی / یافت نشد with the letter number, kind, issue date (Jalali), region, the renewal code ' +
      'masked and the issuer; a malformed number or code shows as not found. Any other client (no Accept, ' +
      '`application/json`) gets JSON: valid / revoked / expired / unknown with the essential non-personal facts and the ' +
      'content hash (`VERIFY_QUERY_INVALID` for a malformed number or code). Rate-limited per IP (`RATE_LIMITED`).',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: VerificationDto, description: 'JSON, or with `Accept: text/html` the Persian verification page' })
  @ApiProblems(400, 429)
  async verify(@Query() query: VerifyQuery, @Ip() ip: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<VerificationDto | string> {
    res.setHeader('Cache-Control', 'no-store');
    res.vary('Accept');
    if (!prefersHtml((types) => req.accepts(types))) return this.certificates.verifyByNumber(query.number, query.code, ip);
    const html = await this.certificates.verificationPageByNumber(query.number, query.code, ip);
    res.setHeader('Content-Security-Policy', PERSIAN_PAGE_CSP);
    res.type('text/html; charset=utf-8');
    return html;
  }

  @Post('verify')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify a certificate’s JWS',
    description: 'Checks the Ed25519 signature with the published keys and the stored certificate: a forged or altered JWS is `invalid`; rate-limited per IP.',
  })
  @ApiOkResponse({ type: VerificationDto })
  @ApiProblems(400, 429)
  verifyJws(@Body() dto: VerifyJwsDto, @Ip() ip: string): Promise<VerificationDto> {
    return this.certificates.verifyJwsToken(dto.jws, ip);
  }
}

@ApiTags('certificates')
@Controller('admin/certificates')
export class AdminCertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Post(':number/revoke')
  @Roles('admin')
  @HttpCode(200)
  @ApiBearerAuth('staff')
  @ApiOperation({ summary: 'Revoke a certificate (admin)', description: 'Audited; verification answers `revoked` with the reason from then on.' })
  @ApiOkResponse({ type: VerificationDto })
  @ApiProblems(400, 401, 403, 404, 409)
  revoke(@CurrentActor() actor: Actor, @PathParam('number', { maxLength: 40, example: '1404-1-000012' }) number: string, @Body() dto: RevokeCertificateDto): Promise<VerificationDto> {
    return this.certificates.revoke(actor, number, dto.reason);
  }
}

@ApiTags('inquiries')
@VerifiedIdentity()
@Controller('inquiries')
export class InquiryAnswerController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get(':id/answer')
  @Principals('citizen', 'staff')
  @ApiBearerAuth('citizen')
  @ApiBearerAuth('staff')
  @ApiOperation({
    summary: 'The answer letter of an inquiry (JSON, printable HTML or PDF)',
    description:
      '`format=json` (default): the certificate with its canonical content, content hash and JWS. `format=html`: the ' +
      'printable Persian letter. `format=pdf`: the rendered PDF; `PDF_UNAVAILABLE` (503) says why when this server has ' +
      'no Chromium, `PDF_NOT_READY` (503, Retry-After) while it is being rendered. The applicant or staff of the region.',
  })
  @ApiProduces('application/json', 'text/html', 'application/pdf')
  @ApiOkResponse({ type: AnswerDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  async answer(@CurrentActor() actor: Actor, @PathParam('id', { maxLength: 36, example: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60', description: 'Inquiry id' }) id: string, @Query() query: AnswerQuery, @Res({ passthrough: true }) res: Response): Promise<AnswerDto | string | StreamableFile> {
    const out = await this.certificates.answerOf(actor, id, query.format);
    if (out.format === 'html') {
      res.type('text/html; charset=utf-8');
      return out.html;
    }
    if (out.format === 'pdf') {
      return new StreamableFile(out.pdf, { type: 'application/pdf', disposition: `inline; filename="${out.fileName}"`, length: out.pdf.length });
    }
    return out.answer;
  }
}
