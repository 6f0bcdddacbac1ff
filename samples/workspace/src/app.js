#!/usr/bin/env node
// tasks-cli entry point. Usage: see README.md.
import { readFile, writeFile } from "node:fs/promises";
import { formatTask, isValidPriority, nextId, parseArgs, sortByPriority } from "./util.js";

const STORE = new URL("../data/todo.json", import.meta.url);

async function load() {
  const store = JSON.parse(await readFile(STORE, "utf8"));
  if (store.version !== 1) {
    throw new Error(`unsupported store version ${store.version}`);
  }
  return store;
}

async function save(store) {
  // TODO: write to a temporary file and rename, so a crash cannot leave half a file.
  await writeFile(STORE, JSON.stringify(store, null, 2) + "\n");
}

const commands = {
  async list(_, flags) {
    const { tasks } = await load();
    const shown = flags.all ? tasks : tasks.filter(t => !t.done);
    for (const task of sortByPriority(shown)) {
      console.log(formatTask(task));
    }
  },

  async add([title], flags) {
    if (!title) throw new Error("usage: add <title> [--priority high|normal|low] [--tag name]");
    const priority = flags.priority ?? "normal";
    if (!isValidPriority(priority)) throw new Error(`unknown priority '${priority}'`);
    const store = await load();
    const task = {
      id: nextId(store.tasks),
      title,
      done: false,
      priority,
      tags: flags.tag ? [flags.tag] : [],
      created: new Date().toISOString().slice(0, 10),
    };
    store.tasks.push(task);
    await save(store);
    console.log(formatTask(task));
  },

  async done([id]) {
    const store = await load();
    const task = store.tasks.find(t => t.id === Number(id));
    if (!task) throw new Error(`no task with id ${id}`);
    task.done = true;
    await save(store);
    console.log(formatTask(task));
  },
};

const { command, positionals, flags } = parseArgs(process.argv.slice(2));
const run = commands[command];
if (!run) {
  console.error(`unknown command '${command}'; try: ${Object.keys(commands).join(", ")}`);
  process.exitCode = 2;
} else {
  run(positionals, flags).catch(err => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
