// The browser tests' one assertion: prints "ok   what" or "FAIL what: detail" and counts both.
export const results = { passed: 0, failures: [] };

export function check(ok, what, detail = '') {
  if (ok) {
    results.passed++;
    console.log(`ok   ${what}`);
  } else {
    results.failures.push(what);
    console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}
