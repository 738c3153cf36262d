// Validates Kubernetes manifests offline against the Kubernetes JSON schemas of the kubernetes-models
// package (ESM-only, hence this child script). Usage: node validate-manifests.mjs FILE…
// Prints one JSON array: per document its file, kind, name and the schema errors (none when valid).
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** "apps/v1" → "apps/v1", "v1" (the core group) → "v1", as the package lays its models out. */
const modulePath = (apiVersion, kind) => `kubernetes-models/${apiVersion}/${kind}`;

const results = [];
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const manifest = document.toJS();
    if (manifest === null) continue;
    const { apiVersion, kind, metadata } = manifest;
    const result = { file, apiVersion, kind, name: metadata?.name, errors: [] };
    results.push(result);
    let Model;
    try {
      Model = (await import(modulePath(apiVersion, kind)))[kind];
    } catch {
      result.errors.push(`no schema for ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new Model(manifest).validate();
    } catch (error) {
      const details = error.errors?.map((e) => `${e.instancePath || '/'} ${e.message}`) ?? [error.message];
      result.errors.push(...details);
    }
  }
}
process.stdout.write(JSON.stringify(results));
