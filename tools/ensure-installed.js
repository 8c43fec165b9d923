#!/usr/bin/env node
// `npm start` and `npm test` are the only commands a fresh clone needs: this installs the
// locked dependencies when node_modules is missing or older than package-lock.json, and with
// --test the system programs the tests run (ensure-test-tools.js).
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

if (mtime(installed) < mtime(lock)) {
  console.log('Installing dependencies (npm ci)...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

// `npm test` also needs a few programs that are not npm packages (tools/test-tools.json).
if (process.argv.includes('--test')) require('./ensure-test-tools');
