import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?page=&pageSize=` — one-based pages (at most 100 000), at most 100 items each. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100_000, default: 1, example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000) // page 1e308 made an OFFSET no database takes
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 20;
}

export class PageMeta {
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 20 }) pageSize: number;
  @ApiProperty({
    example: 57,
    description: 'Rows matching the filters, on every page (a page past the last one answers no items and this total). / تعداد همه ردیف‌های مطابق فیلترها، در هر صفحه.',
  })
  total: number;
}

export function pageMeta(query: PageQuery, total: number): PageMeta {
  return { page: query.page, pageSize: query.pageSize, total };
}

export function pageOffset(query: PageQuery): { limit: number; offset: number } {
  return { limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
}
