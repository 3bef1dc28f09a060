export { RetriesExhaustedError, UnknownAccountError } from "../../challenges/bank-transfers/src/index.ts";
