// The labels of actions written only by the background jobs. The web pages
// run from their own bundle, which holds its own copy of the action labels
// (app/modules/audit/actions.ts), and no page imports these jobs' modules
// (only app/server/start.ts does): without this, the audit pages showed
// their events under machine names such as "Vacancy: reminders sent".
import "#app/modules/tendering/bids-reminders";
import "#app/modules/vacancies/freshness";
