#!/usr/bin/env node
// The `gcm` command. The CLI is TypeScript run through tsx, so `npx gcm …` works on a fresh
// clone without a separate compile step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
