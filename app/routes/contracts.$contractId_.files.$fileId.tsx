// Downloads one of a contract's files, any version, streamed from the file
// store (its SHA-256 checked as it goes): the contract's council's staff and
// its provider's users; anyone else is told it does not exist.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { findContractFile } from "#app/modules/contracts/files";
import { readFile } from "#app/modules/files/files";
import { contractFor } from "#app/web/contracts.server";
import { fileDownload } from "#app/web/file-download.server";
import { notFound } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { contract } = await contractFor(request, portal, params.contractId, "contract.downloadFile");
  const found = await findContractFile(portal.db, contract.id, params.fileId ?? "");
  if (!found) throw notFound();
  return fileDownload(found.file, readFile(portal.db, found.file));
}
