// A progress bar for the command-line tools that work through a lot of data (backup, restore):
// redrawn in place on a terminal, a line at every quarter in a log file. Written to stderr so
// stdout keeps only the result line.

export function progressBar(label, unit) {
  const tty = Boolean(process.stderr.isTTY);
  let lastQuarter = -1;
  let lastDraw = 0;
  let shown = false;
  return {
    update(done, total) {
      const share = total > 0 ? Math.min(1, done / total) : 1;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && share < 1) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(share * width);
        process.stderr.write(
          `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(share * 100)}% ${done}/${total} ${unit}`,
        );
        shown = true;
      } else {
        const quarter = Math.floor(share * 4);
        if (quarter === lastQuarter) return;
        lastQuarter = quarter;
        process.stderr.write(`${label}: ${Math.round(share * 100)}% (${done}/${total} ${unit})\n`);
      }
    },
    done() {
      if (tty && shown) process.stderr.write('\n');
    },
  };
}
