// What a provider's users are told, at most once a week, when some of their
// homes' vacancies have not been confirmed for more than 7 days: which homes,
// since when, and where to confirm or update them in one go.
import type { EmailContent } from "./render";
import { formatUkDateTime, oneLine, webLink } from "./format";
import { ActionLink, BulletList, Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface VacancyReminderProps {
  organisationName: string;
  /** Each stale home with when its vacancy was last confirmed (null: never). */
  homes: { name: string; lastConfirmedAt: Date | null }[];
  vacanciesUrl: string;
}

const FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;

export function vacancyReminderEmail(props: VacancyReminderProps): EmailContent {
  const url = webLink(props.vacanciesUrl);
  const count = props.homes.length;
  const subject = `Please confirm your vacancies: ${count} home${count === 1 ? "" : "s"} not confirmed this week`;
  const homes = props.homes.map(
    (h) => `${oneLine(h.name)}: ${h.lastConfirmedAt ? `last confirmed ${formatUkDateTime(h.lastConfirmedAt)}` : "never confirmed"}`,
  );
  const p = {
    intro: `The vacancies of ${count === 1 ? "one of" : `${count} of`} ${oneLine(props.organisationName)}'s homes have not been confirmed in the last 7 days, so commissioners see them marked as out of date.`,
    duty: "Keeping vacancies up to date is part of your contract. If nothing has changed, one click on \"No change\" confirms all your homes.",
  };
  const text = [p.intro, `Homes to confirm:\n${homes.map((h) => `- ${h}`).join("\n")}`, p.duty, `Confirm or update your vacancies:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.intro}</Paragraph>
        <Paragraph>Homes to confirm:</Paragraph>
        <BulletList items={homes} />
        <Paragraph>{p.duty}</Paragraph>
        <ActionLink href={url}>Confirm or update your vacancies</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
