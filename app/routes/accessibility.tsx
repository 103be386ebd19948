import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Accessibility statement – Children's Placements Portal" }];

export default function Accessibility() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Accessibility statement</h1>
        <p className="govuk-body">
          This portal is run by the lead council of the consortium. We want as many people as possible to be able to use it. You should be able to
          change colours, contrast levels and fonts, zoom in up to 400% without the text spilling off the screen, navigate the whole service using
          just a keyboard or speech recognition software, and listen to it using a screen reader.
        </p>
        <h2 className="govuk-heading-m">How accessible this portal is</h2>
        <p className="govuk-body">
          The portal aims to meet the Web Content Accessibility Guidelines version 2.2 AA standard. Every page is checked automatically with axe
          in our test suite, and every form works without JavaScript.
        </p>
        <h2 className="govuk-heading-m">Reporting accessibility problems</h2>
        <p className="govuk-body">
          If you find a problem not listed on this page, contact the commissioning team of the lead council. The Equality and Human Rights Commission
          is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.
        </p>
      </div>
    </div>
  );
}
