/** The session engine, programmes (schedule, adherence, notifications) and the daily cap. */
export { SessionEngine, DEFAULT_SITE_REMINDER_MS, type SessionEngineOptions, type SessionSnapshot, type StartOptions } from './SessionEngine.ts';
export type { SessionPlan, TitrationPlan, ProgrammeRef } from './SessionPlan.ts';
export { planFromPreset, type PlanFromPresetOptions } from './planFromPreset.ts';
export { dailyUsageMs, dailyBudgetMs, recordActiveMs, countsFor, DEFAULT_DAILY_CAP_MS, DAY_MS } from './dailyUsage.ts';
export { DEFAULT_PARTICIPANT, ParticipantCodeError, parseParticipantCode, participantOf } from './participant.ts';
export { admitDailyCap, acquireAdmission, type DailyCapAdmission } from './admission.ts';
export { occurrencesBetween, occurrenceStatus, adherence, nextDue, occurrenceKey, type Occurrence, type OccurrenceStatus, type OccurrenceReport, type Adherence } from './programmeSchedule.ts';
export { ProgrammeNotifier, type ProgrammeNotifierOptions, type NotifierStatus } from './ProgrammeNotifier.ts';
export { browserNotificationPort, type NotificationPort, type NotificationPermissionState } from './notificationPort.ts';
export { localTimeZone, fixedTimeZone, type TimeZone } from './timeZone.ts';
export type { Enrolment } from './Enrolment.ts';
export { EnrolmentStore } from './EnrolmentStore.ts';
export { SessionError, SessionRefusedError, SessionStateError, type SessionErrorCode } from './errors.ts';
