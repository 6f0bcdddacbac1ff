// Helpers shared by the commands in app.js. Pure functions only: no file access here.

export const PRIORITIES = ["high", "normal", "low"];

/** Parses `argv` (without node and the script path) into a command, positionals and flags. */
export function parseArgs(argv) {
  const [command = "list", ...rest] = argv;
  const positionals = [];
  const flags = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      const next = rest[i + 1];
      if (next === undefined || next.startsWith("--")) {
        flags[name] = true;
      } else {
        flags[name] = next;
        i++;
      }
    } else {
      positionals.push(arg);
    }
  }
  return { command, positionals, flags };
}

/** Highest priority first, then oldest first. */
export function sortByPriority(tasks) {
  return [...tasks].sort((a, b) =>
    PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) ||
    a.created.localeCompare(b.created));
}

/** The next free id: one more than the largest in use. */
export function nextId(tasks) {
  return tasks.reduce((max, t) => Math.max(max, t.id), 0) + 1;
}

/** One line per task, e.g. "[ ]  3  high    Renew passport  #admin". */
export function formatTask(task) {
  const box = task.done ? "[x]" : "[ ]";
  const tags = task.tags.length ? "  " + task.tags.map(t => "#" + t).join(" ") : "";
  return `${box} ${String(task.id).padStart(2)}  ${task.priority.padEnd(6)}  ${task.title}${tags}`;
}

// TODO: accept due dates ("--due 2024-06-01") once the store format has a field for them.
export function isValidPriority(value) {
  return PRIORITIES.includes(value);
}
