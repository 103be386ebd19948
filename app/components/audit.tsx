// Pieces the audit pages share.
import type { ActorWords } from "#app/modules/audit/wording";

/**
 * Who did it: a person with their organisation on a line of its own (so a
 * screen reader reads them apart), or an attempt with where it came from.
 */
export function Who({ who }: { who: ActorWords }) {
  return (
    <>
      <span className="portal-audit-line">{who.who}</span>
      {who.detail ? <span className="portal-audit-line portal-secondary-text">{who.detail}</span> : null}
    </>
  );
}
