// The folder name "New Workflow…" asks for when it copies a workflow definition of the
// workspace. What the copy holds is planned by the server (server/src/core/instance.ts),
// which reads the definition's links and gate files.

/** Why a folder name cannot hold a new instance, or undefined when it can. */
export function validateFolderName(name: string): string | undefined {
  const n = name.trim();
  if (n === '') return 'Give the folder a name.';
  if (n === '.' || n === '..' || /[\\/:*?"<>|\u0000-\u001f]/.test(n))
    return 'A folder name without / \\ : * ? " < > | (the folder goes into the folder you chose).';
  return undefined;
}
