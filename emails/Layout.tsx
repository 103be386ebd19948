// The frame every portal email shares, and the few building blocks the
// templates are written in. Styles are inline and the frame is a table
// because mail clients drop <style> blocks and ignore most of CSS layout.
import type { ReactNode } from "react";

export const SERVICE_NAME = "Children's Placements Portal";

/** The plain-text footer of an automatic email. */
export const TEXT_FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;

const FONT = "Arial, Helvetica, sans-serif";
const TEXT_COLOUR = "#0b0c0c";
const LINK_COLOUR = "#1d70b8";
const BRAND_COLOUR = "#1d70b8";
const SECONDARY_TEXT_COLOUR = "#484949";

const bodyText = {
  fontFamily: FONT,
  fontSize: "19px",
  lineHeight: "25px",
  color: TEXT_COLOUR,
} as const;

export function Layout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body style={{ margin: 0, padding: 0, backgroundColor: "#ffffff", ...bodyText }}>
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse", width: "100%" }}>
          <tbody>
            <tr>
              <td style={{ backgroundColor: TEXT_COLOUR, borderBottom: `10px solid ${BRAND_COLOUR}` }}>
                <Centred>
                  <td style={{ padding: "15px", fontFamily: FONT, fontSize: "24px", lineHeight: "30px", fontWeight: 700, color: "#ffffff" }}>
                    {SERVICE_NAME}
                  </td>
                </Centred>
              </td>
            </tr>
            <tr>
              <td>
                <Centred>
                  <td style={{ padding: "30px 15px 15px 15px", ...bodyText }}>{children}</td>
                </Centred>
              </td>
            </tr>
            <tr>
              <td>
                <Centred>
                  <td
                    style={{
                      padding: "15px",
                      borderTop: "1px solid #b1b4b6",
                      fontFamily: FONT,
                      fontSize: "16px",
                      lineHeight: "20px",
                      color: SECONDARY_TEXT_COLOUR,
                    }}
                  >
                    This email was sent automatically by the {SERVICE_NAME}. Replies to it are not read.
                  </td>
                </Centred>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
}

/** A 600px column, centred; as a table because Outlook ignores max-width on divs. */
function Centred({ children }: { children: ReactNode }) {
  return (
    <table
      role="presentation"
      align="center"
      width="100%"
      cellPadding={0}
      cellSpacing={0}
      style={{ borderCollapse: "collapse", width: "100%", maxWidth: "600px", margin: "0 auto" }}
    >
      <tbody>
        <tr>{children}</tr>
      </tbody>
    </table>
  );
}

export function Heading({ children }: { children: ReactNode }) {
  return (
    <h1 style={{ margin: "0 0 30px 0", fontFamily: FONT, fontSize: "32px", lineHeight: "35px", fontWeight: 700, color: TEXT_COLOUR }}>
      {children}
    </h1>
  );
}

export function Paragraph({ children }: { children: ReactNode }) {
  return <p style={{ margin: "0 0 20px 0", ...bodyText }}>{children}</p>;
}

export function BulletList({ items }: { items: readonly string[] }) {
  return (
    <ul style={{ margin: "0 0 20px 0", paddingLeft: "20px", ...bodyText }}>
      {items.map((item, index) => (
        <li key={index} style={{ marginBottom: "5px" }}>
          {item}
        </li>
      ))}
    </ul>
  );
}

/** Said where a secret link was, in the copy of an email the portal keeps once it has been sent. */
export const LINK_WITHHELD =
  "[The link is not in the portal's copy of this email: it was taken out once the email was sent, so only the person it was sent to can use it.]";

/**
 * The one thing the email asks the reader to do, styled like a GOV.UK start
 * button, followed by the address in full for mail clients that break links.
 * With no href (the portal's copy, once sent), a note that the link was taken out.
 */
export function ActionLink({ href, children }: { href: string | null; children: ReactNode }) {
  if (href === null) return <p style={{ margin: "0 0 20px 0", ...bodyText, color: SECONDARY_TEXT_COLOUR }}>{LINK_WITHHELD}</p>;
  return (
    <>
      <p style={{ margin: "0 0 20px 0", ...bodyText }}>
        <a
          href={href}
          style={{
            display: "inline-block",
            padding: "8px 15px",
            backgroundColor: "#00703c",
            borderBottom: "2px solid #002d18",
            color: "#ffffff",
            fontFamily: FONT,
            fontSize: "19px",
            lineHeight: "25px",
            fontWeight: 700,
            textDecoration: "none",
          }}
        >
          {children}
        </a>
      </p>
      <p style={{ margin: "0 0 20px 0", ...bodyText }}>
        If the button does not work, copy this address into your web browser:
        <br />
        <a href={href} style={{ color: LINK_COLOUR, textDecoration: "underline", wordBreak: "break-all" }}>
          {href}
        </a>
      </p>
    </>
  );
}
