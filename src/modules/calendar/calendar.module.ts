import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AdminCalendarController, CalendarController } from './calendar.controller';
import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';
import { CalendarDay } from './entities/calendar-day.entity';

@Module({
  imports: [MikroOrmModule.forFeature([CalendarDay])],
  controllers: [CalendarController, AdminCalendarController],
  providers: [CalendarRepository, CalendarService],
  exports: [CalendarService],
})
export class CalendarModule {}
