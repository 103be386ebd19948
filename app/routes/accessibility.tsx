// The accessibility statement, on the GOV.UK model statement's headings
// (https://www.gov.uk/government/publications/sample-accessibility-statement).
// Keep "Non-accessible content" honest: it lists what the tests and checks
// found, and each item comes off when it is fixed.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Accessibility statement");

const CONTACT_EMAIL = "accessibility@westmoor.example";
const PREPARED = "30 November 2026";
const REVIEWED = "30 November 2026";

export default function Accessibility() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Accessibility statement</h1>
        <p className="govuk-body">
          This accessibility statement applies to the Children's Placements Portal, which councils and consortia of councils use to commission homes
          for children in care, and which providers use to bid and keep their vacancies up to date.
        </p>
        <p className="govuk-body">
          The portal is run by the lead council of the consortium. We want as many people as possible to be able to use it. For example, that
          means you should be able to:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>change colours, contrast levels and fonts using browser or device settings</li>
          <li>zoom in up to 400% without the text spilling off the screen</li>
          <li>navigate most of the portal using just a keyboard or speech recognition software</li>
          <li>listen to most of the portal using a screen reader</li>
          <li>use every form with JavaScript turned off</li>
        </ul>
        <p className="govuk-body">We have also made the text as simple as possible to understand.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="https://mcmw.abilitynet.org.uk/">
            AbilityNet
          </a>{" "}
          has advice on making your device easier to use if you have a disability.
        </p>

        <h2 className="govuk-heading-m">How accessible this portal is</h2>
        <p className="govuk-body">We know some parts of the portal are not fully accessible:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>audit extracts you download as PDF files are not tagged, so a screen reader may not read them in the right order</li>
          <li>on a small screen or when zoomed in, wide tables scroll sideways inside their own box (the page itself does not)</li>
        </ul>

        <h2 className="govuk-heading-m">What to do if you cannot use parts of the portal</h2>
        <p className="govuk-body">
          If you need information from the portal in a different format, like accessible PDF, large print, easy read, audio recording or braille,
          email{" "}
          <a className="govuk-link" href={`mailto:${CONTACT_EMAIL}`}>
            {CONTACT_EMAIL}
          </a>{" "}
          and tell us what you need and which page or document it is about.
        </p>
        <p className="govuk-body">We will consider your request and get back to you within 5 working days.</p>
        <p className="govuk-body">
          Everything in an audit extract PDF is also on the record's history page in the portal, which works with a screen reader.
        </p>

        <h2 className="govuk-heading-m">Reporting accessibility problems with this portal</h2>
        <p className="govuk-body">
          We are always looking to improve the accessibility of the portal. If you find any problems not listed on this page or think we are not
          meeting accessibility requirements, email{" "}
          <a className="govuk-link" href={`mailto:${CONTACT_EMAIL}`}>
            {CONTACT_EMAIL}
          </a>
          .
        </p>

        <h2 className="govuk-heading-m">Enforcement procedure</h2>
        <p className="govuk-body">
          The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications)
          (No. 2) Accessibility Regulations 2018 (the ‘accessibility regulations’) in England, Scotland and Wales. In Northern Ireland, the
          Equality Commission for Northern Ireland (ECNI) is responsible.
        </p>
        <p className="govuk-body">
          If you are not happy with how we respond to your complaint, contact the{" "}
          <a className="govuk-link" href="https://www.equalityadvisoryservice.com/">
            Equality Advisory and Support Service (EASS)
          </a>{" "}
          (England, Scotland and Wales) or the{" "}
          <a className="govuk-link" href="https://www.equalityni.org/Home">
            Equality Commission for Northern Ireland
          </a>
          .
        </p>

        <h2 className="govuk-heading-m">Technical information about this portal's accessibility</h2>
        <p className="govuk-body">
          The lead council is committed to making the portal accessible, in accordance with the Public Sector Bodies (Websites and Mobile
          Applications) (No. 2) Accessibility Regulations 2018.
        </p>

        <h3 className="govuk-heading-s">Compliance status</h3>
        <p className="govuk-body">
          The portal is partially compliant with the{" "}
          <a className="govuk-link" href="https://www.w3.org/TR/WCAG22/">
            Web Content Accessibility Guidelines version 2.2
          </a>{" "}
          AA standard, due to the non-compliance listed below.
        </p>

        <h2 className="govuk-heading-m">Non-accessible content</h2>
        <p className="govuk-body">The content listed below is non-accessible for the following reasons.</p>
        <h3 className="govuk-heading-s">Non-compliance with the accessibility regulations</h3>
        <p className="govuk-body">
          Audit extract PDFs have no tags: their headings, lists and reading order are not marked up, so assistive technology may read them out of
          order. This fails WCAG 2.2 success criteria 1.3.1 (Info and Relationships) and 1.3.2 (Meaningful Sequence). The same information is on
          each record's history page. We plan to make the PDFs tagged, or to offer the extract as an accessible HTML page to save or print, before
          the tendering parts of the portal go live.
        </p>

        <h2 className="govuk-heading-m">What we are doing to improve accessibility</h2>
        <p className="govuk-body">
          Every page is checked with the axe accessibility engine against WCAG 2.2 AA in the portal's automated browser tests, which run before
          every change is released. The tests also check that no page scrolls sideways on a 375 pixel wide phone or at 200% zoom, that every form
          works without JavaScript, and that the error summary takes focus after a form is sent with mistakes. We have not yet tested the portal
          with people who use assistive technology; we will before the tendering parts of the portal go live.
        </p>

        <h2 className="govuk-heading-m">Preparation of this accessibility statement</h2>
        <p className="govuk-body">This statement was prepared on {PREPARED}. It was last reviewed on {REVIEWED}.</p>
        <p className="govuk-body">
          The portal was last tested on {REVIEWED} against the WCAG 2.2 AA standard, by the portal's development team: every page with the
          automated tests described above, and every page looked at by hand at 1280 and 375 pixels wide.
        </p>
      </div>
    </div>
  );
}
