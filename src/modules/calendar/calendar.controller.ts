import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CommonErrors, PathParam, Public, Roles } from '@app/common';
import { CalendarService } from './calendar.service';
import {
  CalendarDayDto,
  CalendarRangeQuery,
  GenerateYearResultDto,
  SlaQuery,
  SlaResultDto,
  UpdateCalendarDayDto,
} from './dto/calendar.dto';

@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('days')
  @Public()
  @ApiOperation({
    summary: 'Working calendar of the service desks',
    description: 'Working days, half days and holidays with opening hours (Asia/Tehran). Dates may be Jalali or Gregorian.',
  })
  @ApiOkResponse({ type: [CalendarDayDto] })
  @ApiProblems(400)
  days(@Query() query: CalendarRangeQuery): Promise<CalendarDayDto[]> {
    return this.calendar.listDays(query.from, query.to);
  }

  @Get('due-date')
  @Public()
  @ApiOperation({
    summary: 'SLA clock: when is something due',
    description:
      'The due instant after a number of working days (default: the review SLA, one working day) or working hours ' +
      'from `start`, on the working calendar. A working day ends at the same wall-clock time on the next open day; ' +
      'starts outside opening hours count from the next opening.',
  })
  @ApiOkResponse({ type: SlaResultDto })
  @ApiProblems(400)
  async dueDate(@Query() query: SlaQuery): Promise<SlaResultDto> {
    const start = new Date(query.start);
    if (Number.isNaN(start.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(query.start)) {
      throw CommonErrors.VALIDATION_FAILED({
        fieldErrors: [{ field: 'start', code: 'isISO8601', message: { fa: 'زمان شروع معتبر نیست.', en: 'start must be an ISO 8601 instant' } }],
      });
    }
    const due =
      query.workingHours !== undefined
        ? await this.calendar.dueAfterWorkingHours(start, query.workingHours)
        : query.workingDays !== undefined
          ? await this.calendar.dueAfterWorkingDays(start, query.workingDays)
          : await this.calendar.reviewDueAt(start);
    return { start: start.toISOString(), dueAt: due.toISOString(), dueAtJalali: this.calendar.formatJalali(due) };
  }
}

@ApiTags('admin-calendar')
@ApiBearerAuth('staff')
@Roles('admin')
@Controller('admin/calendar')
export class AdminCalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Put('days/:date')
  @ApiOperation({
    summary: 'Change one day of the working calendar (admin)',
    description:
      'Mark a day as a holiday (e.g. a lunar holiday announced late), a half day or a working day. ' +
      'The date may be Jalali (`1404-04-14`) or Gregorian (`2025-07-05`). Edited days are kept when the year is regenerated. Audited.',
  })
  @ApiOkResponse({ type: CalendarDayDto })
  @ApiProblems(400, 401, 403, 404)
  update(@PathParam('date', { maxLength: 30, example: '1404-04-14' }) date: string, @Body() dto: UpdateCalendarDayDto): Promise<CalendarDayDto> {
    return this.calendar.updateDay(date, dto);
  }

  @Post('years/:jalaliYear/generate')
  @ApiOperation({
    summary: 'Generate (or regenerate) a Jalali year (admin)',
    description: 'Builds every day from the week template and the official holidays. Days edited by an admin are kept.',
  })
  @ApiOkResponse({ type: GenerateYearResultDto })
  @ApiProblems(400, 401, 403)
  async generate(@PathParam('jalaliYear', { maxLength: 4, example: '1405', description: 'Jalali year' }) year: string): Promise<GenerateYearResultDto> {
    const jalaliYear = Number(year);
    const result = await this.calendar.generateYear(jalaliYear);
    return { jalaliYear, ...result };
  }
}
