export { notify, mailKey, REMINDER_LEAD_MS } from "./notify";
export { NOTIFY_EVENTS, RECIPIENTS, type NotifyEvent, type NotifyInput, type NotifyExtra, type Recipient } from "./events";
