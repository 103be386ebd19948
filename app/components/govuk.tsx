// GOV.UK Frontend patterns as React components: the published HTML and class
// names, rendered by us. Errors come as { field: message }.
import { useEffect, useId, useRef, type ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { useRouteLoaderData } from "@remix-run/react";

export type FieldErrors = Record<string, string | undefined>;

/**
 * GOV.UK's error summary. Pages put it first in their content, before the h1
 * (after a back link, if any). With JavaScript it takes focus whenever a new
 * set of errors arrives, as GOV.UK Frontend's own script does, so keyboard and
 * screen reader users land on it after a failed submit.
 */
export function ErrorSummary({
  errors,
  order,
  href = (key) => `#${key}`,
  title = "There is a problem",
}: {
  errors: FieldErrors | undefined;
  order?: string[];
  /** Where each problem's link goes: its field on this page unless told (a field on another page, a date's first box). */
  href?: (key: string) => string;
  title?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const keys = errors ? (order ?? Object.keys(errors)).filter((k) => errors[k]) : [];
  const extra = errors ? Object.keys(errors).filter((k) => errors[k] && !keys.includes(k)) : [];
  const all = [...keys, ...extra];
  useEffect(() => {
    if (all.length > 0) ref.current?.focus();
    // A new errors object is a new submit, even when its messages are the same.
  }, [errors]);
  if (!errors || all.length === 0) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} ref={ref}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">{title}</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {all.map((key) => (
              <li key={key}>{key === "form" ? errors[key] : <a href={href(key)}>{errors[key]}</a>}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

function ErrorMessage({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={`${id}-error`} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {message}
    </p>
  );
}

function describedBy(id: string, hint?: ReactNode, error?: string) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** The label, hint and error around one field, with the GOV.UK error styling. */
function FieldGroup(props: { id: string; label: ReactNode; hint?: ReactNode; error?: string; isPageHeading?: boolean; children: ReactNode }) {
  const label = (
    <label className={`govuk-label${props.isPageHeading ? " govuk-label--l" : ""}`} htmlFor={props.id}>
      {props.label}
    </label>
  );
  return (
    <div className={`govuk-form-group${props.error ? " govuk-form-group--error" : ""}`}>
      {props.isPageHeading ? <h1 className="govuk-label-wrapper">{label}</h1> : label}
      {props.hint ? (
        <div id={`${props.id}-hint`} className="govuk-hint">
          {props.hint}
        </div>
      ) : null}
      <ErrorMessage id={props.id} message={props.error} />
      {props.children}
    </div>
  );
}

export function TextInput(props: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  type?: "text" | "email" | "password" | "date" | "search" | "number";
  autoComplete?: string;
  width?: "10" | "20" | "30" | "full" | "three-quarters" | "two-thirds" | "one-half";
  isPageHeading?: boolean;
  spellCheck?: boolean;
  id?: string;
  /** Shown before the box, e.g. "£" (GOV.UK prefix; hidden from screen readers, so say the unit in the label). */
  prefix?: string;
  inputMode?: "decimal" | "numeric";
}) {
  const id = props.id ?? props.name;
  const widthClass = props.width ? (/^\d/.test(props.width) ? ` govuk-input--width-${props.width}` : ` govuk-!-width-${props.width}`) : "";
  const input = (
    <input
      className={`govuk-input${widthClass}${props.error ? " govuk-input--error" : ""}`}
      id={id}
      name={props.name}
      type={props.type ?? "text"}
      defaultValue={props.defaultValue}
      autoComplete={props.autoComplete}
      spellCheck={props.spellCheck}
      inputMode={props.inputMode}
      aria-describedby={describedBy(id, props.hint, props.error)}
    />
  );
  return (
    <FieldGroup id={id} label={props.label} hint={props.hint} error={props.error} isPageHeading={props.isPageHeading}>
      {props.prefix ? (
        <div className="govuk-input__wrapper">
          <div className="govuk-input__prefix" aria-hidden="true">
            {props.prefix}
          </div>
          {input}
        </div>
      ) : (
        input
      )}
    </FieldGroup>
  );
}

export function Textarea(props: { name: string; label: ReactNode; hint?: ReactNode; error?: string; defaultValue?: string; rows?: number }) {
  const id = props.name;
  return (
    <FieldGroup id={id} label={props.label} hint={props.hint} error={props.error}>
      <textarea
        className={`govuk-textarea${props.error ? " govuk-textarea--error" : ""}`}
        id={id}
        name={props.name}
        rows={props.rows ?? 4}
        defaultValue={props.defaultValue}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
    </FieldGroup>
  );
}

/** GOV.UK's file upload; the form around it needs encType "multipart/form-data". A browser never refills a file box, so an error asks to select it again. */
export function FileUpload(props: { name: string; label: ReactNode; hint?: ReactNode; error?: string; accept?: string }) {
  const id = props.name;
  return (
    <FieldGroup id={id} label={props.label} hint={props.hint} error={props.error}>
      <input
        className={`govuk-file-upload${props.error ? " govuk-file-upload--error" : ""}`}
        id={id}
        name={props.name}
        type="file"
        accept={props.accept}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
    </FieldGroup>
  );
}

/**
 * A GOV.UK select. `optionsHtml` instead of `options`: the options written as
 * HTML on the server, marking the chosen one themselves, for a long fixed list
 * that need be neither React elements nor a second time in the browser's copy
 * of the page's data (decision 042).
 */
export function Select(
  props: { name: string; label: ReactNode; error?: string; hint?: ReactNode } & (
    | { options: { value: string; label: string }[]; defaultValue?: string }
    | { optionsHtml: string }
  ),
) {
  const id = props.name;
  const written = "optionsHtml" in props ? props.optionsHtml : null;
  return (
    <FieldGroup id={id} label={props.label} hint={props.hint} error={props.error}>
      <select
        className={`govuk-select${props.error ? " govuk-select--error" : ""}`}
        id={id}
        name={props.name}
        defaultValue={"options" in props ? props.defaultValue : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        dangerouslySetInnerHTML={written === null ? undefined : { __html: written }}
      >
        {"options" in props
          ? props.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))
          : undefined}
      </select>
    </FieldGroup>
  );
}

type ChoiceProps = {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: string; hint?: string }[];
  error?: string;
  /** Told of each box ticked or cleared (a radio: chosen), for a page that reveals fields by it. */
  onChange?: (value: string, checked: boolean) => void;
};

/** GOV.UK checkboxes or radios in a fieldset; the first input carries the id the error summary links to. */
function Choices(props: ChoiceProps & { kind: "checkboxes" | "radios"; isChecked: (value: string) => boolean; modifier?: string }) {
  const id = props.name;
  const type = props.kind === "checkboxes" ? "checkbox" : "radio";
  return (
    <div className={`govuk-form-group${props.error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(id, props.hint, props.error)}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
        {props.hint ? (
          <div id={`${id}-hint`} className="govuk-hint">
            {props.hint}
          </div>
        ) : null}
        <ErrorMessage id={id} message={props.error} />
        <div className={`govuk-${props.kind}${props.modifier ? ` govuk-${props.kind}--${props.modifier}` : ""}`} data-module={`govuk-${props.kind}`}>
          {props.options.map((o, i) => {
            const itemId = i === 0 ? id : `${id}-${i + 1}`;
            return (
              <div className={`govuk-${props.kind}__item`} key={o.value}>
                <input
                  className={`govuk-${props.kind}__input`}
                  id={itemId}
                  name={props.name}
                  type={type}
                  value={o.value}
                  defaultChecked={props.isChecked(o.value)}
                  onChange={props.onChange ? (event) => props.onChange?.(o.value, event.currentTarget.checked) : undefined}
                  aria-describedby={o.hint ? `${itemId}-item-hint` : undefined}
                />
                <label className={`govuk-label govuk-${props.kind}__label`} htmlFor={itemId}>
                  {o.label}
                </label>
                {o.hint ? (
                  <div id={`${itemId}-item-hint`} className={`govuk-hint govuk-${props.kind}__hint`}>
                    {o.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function Checkboxes(props: ChoiceProps & { checked?: string[] }) {
  return <Choices {...props} kind="checkboxes" modifier="small" isChecked={(v) => props.checked?.includes(v) ?? false} />;
}

/** One choice from a few. */
export function Radios(props: ChoiceProps & { checked?: string; inline?: boolean }) {
  return <Choices {...props} kind="radios" modifier={props.inline ? "inline" : undefined} isChecked={(v) => props.checked === v} />;
}

export function Button({ children, variant, name, value }: { children: ReactNode; variant?: "secondary" | "warning"; name?: string; value?: string }) {
  return (
    <button type="submit" className={`govuk-button${variant ? ` govuk-button--${variant}` : ""}`} data-module="govuk-button" name={name} value={value}>
      {children}
    </button>
  );
}

/** A POST form with the CSRF token every state-changing request must carry. */
export function PostForm({
  children,
  action,
  noValidate = true,
  encType,
}: {
  children: ReactNode;
  action?: string;
  noValidate?: boolean;
  /** "multipart/form-data" for a form that uploads a file. */
  encType?: "multipart/form-data";
}) {
  const root = useRouteLoaderData("root") as { csrfToken: string } | undefined;
  return (
    <Form method="post" action={action} noValidate={noValidate} encType={encType}>
      <input type="hidden" name="_csrf" value={root?.csrfToken ?? ""} />
      {children}
    </Form>
  );
}

export function SummaryList({ rows }: { rows: { key: ReactNode; value: ReactNode; action?: { href: string; label: string; hidden: string } }[] }) {
  return (
    <dl className="govuk-summary-list">
      {rows.map((row, i) => (
        <div className="govuk-summary-list__row" key={i}>
          <dt className="govuk-summary-list__key">{row.key}</dt>
          <dd className="govuk-summary-list__value">{row.value}</dd>
          {row.action ? (
            <dd className="govuk-summary-list__actions">
              <Link className="govuk-link" to={row.action.href}>
                {row.action.label}
                <span className="govuk-visually-hidden"> {row.action.hidden}</span>
              </Link>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}

export function Table<Row>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: ReactNode;
  columns: { header: ReactNode; cell: (row: Row) => ReactNode; numeric?: boolean }[];
  rows: Row[];
  rowKey: (row: Row) => string;
}) {
  return (
    <TableFrame caption={caption} headers={columns}>
      <tbody className="govuk-table__body">
        {rows.map((row) => (
          <tr className="govuk-table__row" key={rowKey(row)}>
            {columns.map((c, i) => (
              <td className={`govuk-table__cell${c.numeric ? " govuk-table__cell--numeric" : ""}`} key={i}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}

/**
 * The same table with its rows already written as HTML on the server
 * (app/web/html.server.ts escapes every value in them): for long lists
 * where rendering each cell as a React element costs more than the rest of
 * the page (decision 019).
 */
export function PrerenderedTable({ caption, headers, rowsHtml }: { caption: ReactNode; headers: { header: ReactNode; numeric?: boolean }[]; rowsHtml: string }) {
  return (
    <TableFrame caption={caption} headers={headers}>
      <tbody className="govuk-table__body" dangerouslySetInnerHTML={{ __html: rowsHtml }} />
    </TableFrame>
  );
}

function TableFrame({ caption, headers, children }: { caption: ReactNode; headers: { header: ReactNode; numeric?: boolean }[]; children: ReactNode }) {
  const captionId = useId();
  // A table wider than the screen scrolls inside its own box, so the page
  // itself never scrolls sideways (WCAG 1.4.10 Reflow). The box is a named,
  // focusable region so keyboard users can scroll it too.
  return (
    <div className="portal-table-container" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m" id={captionId}>
          {caption}
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            {headers.map((c, i) => (
              <th scope="col" className={`govuk-table__header${c.numeric ? " govuk-table__header--numeric" : ""}`} key={i}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}

export function NotificationBanner({ title, body, success }: { title: string; body?: ReactNode; success?: boolean }) {
  return (
    <div
      className={`govuk-notification-banner${success ? " govuk-notification-banner--success" : ""}`}
      role={success ? "alert" : "region"}
      aria-labelledby="govuk-notification-banner-title"
      data-module="govuk-notification-banner"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="govuk-notification-banner-title">
          {success ? "Success" : "Important"}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{title}</p>
        {body ? <div className="govuk-body">{body}</div> : null}
      </div>
    </div>
  );
}

export function Tag({ children, colour }: { children: ReactNode; colour?: "grey" | "green" | "red" | "yellow" | "blue" | "orange" }) {
  return <strong className={`govuk-tag${colour ? ` govuk-tag--${colour}` : ""}`}>{children}</strong>;
}

export function BackLink({ to, children = "Back" }: { to: string; children?: ReactNode }) {
  return (
    <Link to={to} className="govuk-back-link">
      {children}
    </Link>
  );
}

/**
 * The GOV.UK date input: day, month and year boxes in a fieldset. `value` is
 * what was typed (shown again when it is wrong); `error.parts` are the boxes
 * to highlight, or all three when the date as a whole is wrong. Boxes are
 * named and identified `<name>-day`, `<name>-month`, `<name>-year`, so an
 * error summary links to the first wrong one.
 */
export function DateInput(props: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  value?: Partial<Record<"day" | "month" | "year", string>>;
  error?: { message: string; parts?: ("day" | "month" | "year")[] };
}) {
  const id = props.name;
  const hint = props.hint ?? "For example, 27 3 2025";
  const wrong = props.error ? (props.error.parts?.length ? props.error.parts : (["day", "month", "year"] as const)) : [];
  const boxes = [
    { part: "day", label: "Day", width: "2" },
    { part: "month", label: "Month", width: "2" },
    { part: "year", label: "Year", width: "4" },
  ] as const;
  return (
    <div className={`govuk-form-group${props.error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy(id, hint, props.error?.message)}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
        <div id={`${id}-hint`} className="govuk-hint">
          {hint}
        </div>
        <ErrorMessage id={id} message={props.error?.message} />
        <div className="govuk-date-input" id={id}>
          {boxes.map((box) => (
            <div className="govuk-date-input__item" key={box.part}>
              <div className="govuk-form-group">
                <label className="govuk-label govuk-date-input__label" htmlFor={`${id}-${box.part}`}>
                  {box.label}
                </label>
                <input
                  className={`govuk-input govuk-date-input__input govuk-input--width-${box.width}${
                    (wrong as readonly string[]).includes(box.part) ? " govuk-input--error" : ""
                  }`}
                  id={`${id}-${box.part}`}
                  name={`${id}-${box.part}`}
                  type="text"
                  inputMode="numeric"
                  spellCheck={false}
                  defaultValue={props.value?.[box.part] ?? ""}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

