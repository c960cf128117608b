// Validates Kubernetes objects (a JSON array on stdin) against the API schemas of
// kubernetes-models: types, required fields, enums and formats (unknown fields pass). That
// package is an ES module only, so this runs in its own node process: jest's CommonJS cannot
// require it. Prints [{ name, error? }] as JSON.
const objects = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (d) => (text += d)).on('end', () => resolve(text));
}));

/** The model class of an object: kubernetes-models has a module per API group and version. */
async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  return module[kind];
}

const results = [];
for (const object of objects) {
  const name = `${object.kind}/${object.metadata?.name}`;
  try {
    const Model = await modelOf(object.apiVersion, object.kind);
    if (!Model) throw new Error(`no model of ${object.apiVersion} ${object.kind}`);
    new Model(object).validate();
    results.push({ name });
  } catch (err) {
    results.push({ name, error: err.message });
  }
}
process.stdout.write(JSON.stringify(results));
