/** Bad command-line input: each problem is one line naming the option. Nothing was changed. */
export class CliInputError extends Error {
  override name = "CliInputError";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}
