// The CLI run in-process, as a test drives it.
import { main } from '../../server/src/cli/main';

/** Runs `cdp <args>` in-process and returns its exit code and what it printed. */
export async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    (s) => {
      stdout += `${s}\n`;
    },
    (s) => {
      stderr += `${s}\n`;
    },
  );
  return { code, stdout, stderr };
}
