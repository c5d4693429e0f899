import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Keeps V8's young generation from growing past `semiSpaceMb` per semi-space, for a
 * process that builds a large index once and holds it to its end (`cdp check`).
 *
 * V8 doubles the young generation (two semi-spaces, from 1 MB up to 16 MB each on
 * 64-bit) whenever much of it survives a scavenge, and building an index makes nearly
 * everything survive: a 10,000-document check ends with 32 MB of semi-spaces, all of it
 * resident. Its upper bound (`--max-semi-space-size`) is fixed when the heap is set up,
 * too late for a command already running, but the growth factor is read at each growth:
 * once the young generation has reached the wanted size, a factor of 1 keeps it there.
 * The flag is the process's (the parse workers' heaps stop growing there too), and
 * starting a worker thread sets the flags again from the command line: until
 * `workersDone`, every check that finds the young generation at its size sets it again.
 *
 * `check` is to be called at points the process passes often (a batch of documents
 * loaded, a piece of the report written); a timer checks too whenever the thread is
 * free, since listing the files and reading the gate files come before any document.
 */
export class YoungGenerationCap {
  private readonly limit: number;
  private capped = false;
  private workersGone = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(semiSpaceMb: number) {
    this.limit = 2 * semiSpaceMb * 1024 * 1024;
    this.timer = setInterval(this.check, 5);
    this.timer.unref();
  }

  readonly check = (): void => {
    if (this.capped && this.workersGone) return;
    for (const s of getHeapSpaceStatistics()) {
      if (s.space_name !== 'new_space') continue;
      if (s.space_size < this.limit) return;
      setFlagsFromString('--semi-space-growth-factor=1');
      this.capped = true;
    }
  };

  /**
   * No worker thread starts from now on: the factor, once set, stays. The timer stops here
   * whether or not the cap was reached (a small workspace never grows the young generation
   * that far; the calls from the report still check), so no interval outlives the command
   * in a process that runs several.
   */
  workersDone(): void {
    this.workersGone = true;
    this.capped = false;
    clearInterval(this.timer);
    this.check();
  }
}

/**
 * A full garbage collection now, for a command whose index is built and whose report is
 * to come (`cdp check`). Loading leaves garbage in the old generation (texts and parse
 * results that lived across reads), and V8 would not collect it before the command ends:
 * the report then grows the heap beside it instead of into its space. Collected here, the
 * report reuses it: helix 10k 217 → 203 MB of peak memory for one pause of about 60 ms.
 */
export function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // (no collection: only the memory it would have saved)
  }
}
