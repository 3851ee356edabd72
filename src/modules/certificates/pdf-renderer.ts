import { Inject, Injectable, Logger } from '@nestjs/common';
import { accessSync, constants } from 'node:fs';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';

/**
 * HTML → PDF with the machine's headless Chromium (`CHROMIUM_PATH`, Debian's `chromium`)
 * through puppeteer-core, which never downloads a browser. One browser per render: answers
 * are rendered by a job, rarely and in the background, so a long-lived browser is not worth
 * its memory. The page gets no network: everything (fonts, QR) is inline.
 */
@Injectable()
export class PdfRenderer {
  private readonly logger = new Logger(PdfRenderer.name);

  constructor(@Inject(APP_CONFIG) private readonly config: ResolvedConfig) {}

  /** Null when Chromium can be started, else why not (for the coded 503). */
  unavailableReason(): string | null {
    const path = this.config.certificates.chromiumPath;
    try {
      accessSync(path, constants.X_OK);
      return null;
    } catch {
      return `no Chromium executable at CHROMIUM_PATH=${path} (install Debian's chromium package or set CHROMIUM_PATH)`;
    }
  }

  async render(html: string): Promise<Buffer> {
    const reason = this.unavailableReason();
    if (reason) throw new Error(reason);
    const puppeteer = await import('puppeteer-core');
    const browser = await puppeteer.launch({
      executablePath: this.config.certificates.chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'],
      timeout: this.config.certificates.pdfTimeoutMs,
    });
    try {
      const page = await browser.newPage();
      await page.setRequestInterception(true);
      page.on('request', (req) => {
        const url = req.url();
        if (url.startsWith('data:') || url === 'about:blank') void req.continue();
        else void req.abort();
      });
      await page.setContent(html, { waitUntil: 'load', timeout: this.config.certificates.pdfTimeoutMs });
      await page.evaluate('document.fonts.ready');
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, timeout: this.config.certificates.pdfTimeoutMs });
      return Buffer.from(pdf);
    } finally {
      await browser.close().catch((err) => this.logger.warn({ err }, 'closing Chromium failed'));
    }
  }
}
