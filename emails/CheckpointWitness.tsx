// The copy of each new audit checkpoint sent to witnesses (AUDIT_WITNESS_EMAILS):
// what it is, why to keep it, how to check the trail against it, and the
// checkpoint itself exactly as /audit/checkpoints.json publishes it, so the
// saved email can be given to `npm run audit:verify -- --witness`.
import type { PublishedCheckpoint } from "#app/modules/audit/checkpoints";
import type { EmailContent } from "./render";
import { formatUkDateTime, webLink } from "./format";
import { Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface CheckpointWitnessProps {
  checkpoint: PublishedCheckpoint;
  /** The portal's public page of checkpoints, where the public key is too. */
  checkpointsUrl: string;
}

export function checkpointWitnessSubject(checkpoint: PublishedCheckpoint): string {
  return `Audit checkpoint ${checkpoint.id} from the ${SERVICE_NAME}: please keep this email`;
}

const VERIFY_COMMAND = "npm run audit:verify -- --public-key portal-key.pem --witness <this email saved as a file, or a folder of them>";

export function checkpointWitnessEmail(props: CheckpointWitnessProps): EmailContent {
  const url = webLink(props.checkpointsUrl);
  const cp = props.checkpoint;
  const signed = formatUkDateTime(new Date(cp.signedAt));
  const json = JSON.stringify(cp, null, 2);
  const paragraphs = {
    what: `This email is a witness copy of checkpoint ${cp.id} of the ${SERVICE_NAME}'s audit trail, signed at ${signed}. Please keep it.`,
    trail: `The portal records every change in an audit trail, each entry chained to the one before it by its hash. A checkpoint is the portal's signature over the trail as it stood: ${cp.events} events, the last with hash ${cp.hash}.`,
    why: `Someone with full access to the portal's database could rewrite the trail and delete the checkpoints kept there, but they cannot reach this email. While you keep it, the trail can be shown to still contain everything up to this checkpoint, unchanged.`,
    keep: `You do not need to reply or do anything else. Keep this email where nobody at the portal can change it, for example in your own mail folder or saved as a file.`,
    check: `To check the trail against it, save this email as a file (or copy the checkpoint below into a file) and run this, with access to the portal's database:`,
    key: `The public key that checks the signature, and every checkpoint, are published at ${url}`,
    copy: `The checkpoint, exactly as published:`,
  };
  const text = [
    paragraphs.what,
    paragraphs.trail,
    paragraphs.why,
    paragraphs.keep,
    `${paragraphs.check}\n${VERIFY_COMMAND}`,
    paragraphs.key,
    `${paragraphs.copy}\n${json}`,
    `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`,
  ].join("\n\n");

  return {
    subject: checkpointWitnessSubject(cp),
    markup: (
      <Layout title={checkpointWitnessSubject(cp)}>
        <Heading>Audit checkpoint {cp.id}: please keep this email</Heading>
        <Paragraph>{paragraphs.what}</Paragraph>
        <Paragraph>{paragraphs.trail}</Paragraph>
        <Paragraph>{paragraphs.why}</Paragraph>
        <Paragraph>{paragraphs.keep}</Paragraph>
        <Paragraph>{paragraphs.check}</Paragraph>
        <Code>{VERIFY_COMMAND}</Code>
        <Paragraph>
          The public key that checks the signature, and every checkpoint, are published at{" "}
          <a href={url} style={{ color: "#1d70b8", textDecoration: "underline", wordBreak: "break-all" }}>
            {url}
          </a>
        </Paragraph>
        <Paragraph>{paragraphs.copy}</Paragraph>
        <Code>{json}</Code>
      </Layout>
    ),
    text: `${text}\n`,
  };
}

function Code({ children }: { children: string }) {
  return (
    <pre
      style={{
        margin: "0 0 20px 0",
        padding: "10px",
        backgroundColor: "#f3f2f1",
        fontFamily: "Consolas, Menlo, monospace",
        fontSize: "14px",
        lineHeight: "20px",
        whiteSpace: "pre-wrap",
        wordBreak: "break-all",
      }}
    >
      {children}
    </pre>
  );
}
