// The card gateway simulator (package gateway-sim) for browser tests: started on 127.0.0.1
// with one merchant, the demo town's, and a fresh secret; the portal learns it through
// PORTAL_DEMO_GATEWAY_* (demo mode only).
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./harness');

function gatewayBinary() {
  if (process.env.GATEWAY_SIM_BIN) return process.env.GATEWAY_SIM_BIN;
  const candidates = [
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'debug/gateway-sim'),
    path.join(ROOT, 'target/debug/gateway-sim'),
  ].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`gateway-sim not found (looked at ${candidates.join(', ')}); ` +
      'run `cargo build -p gateway-sim` or set GATEWAY_SIM_BIN');
  }
  return found;
}

async function startGateway() {
  const merchant = 'dolni-lhota';
  const secret = crypto.randomBytes(24).toString('hex');
  const child = spawn(gatewayBinary(), ['--listen', '127.0.0.1:0', '--merchant', `${merchant}:${secret}`], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-20_000); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`gateway-sim did not start in 20 s:\n${log}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/"listening":"(http:\/\/127\.0\.0\.1:\d+)"/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway-sim exited (${code}):\n${log}`)); });
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  return {
    url,
    log: () => log,
    env: {
      PORTAL_DEMO_GATEWAY_URL: url,
      PORTAL_DEMO_GATEWAY_MERCHANT: merchant,
      PORTAL_DEMO_GATEWAY_SECRET: secret,
    },
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

module.exports = { startGateway };
