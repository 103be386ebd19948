// React's static markup of a page part for tests that hold HTML written on the
// server to what a component drew. React Router's warning that a layout
// effect does nothing on the server is expected there and kept out of the output.
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";

export function reactMarkup(element: ReactElement): string {
  const warn = console.error;
  console.error = (...args: unknown[]) => {
    if (!String(args[0]).includes("useLayoutEffect does nothing on the server")) warn(...args);
  };
  try {
    return renderToStaticMarkup(element);
  } finally {
    console.error = warn;
  }
}
