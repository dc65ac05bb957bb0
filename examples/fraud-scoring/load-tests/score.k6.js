// Load test of the scoring API at the projected Black Friday peak (2026-09-24 run: see 2026-09-peak/).
// Calls the scorer's HTTP/JSON endpoint (Envoy transcodes it to the Score gRPC method the switch uses).
// Run: k6 run --summary-export=2026-09-peak/summary.json score.k6.js
import http from 'k6/http';
import { check } from 'k6';

const payloads = JSON.parse(open('./fixtures/authorisations-sample.json'));

export const options = {
  scenarios: {
    peak: { executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', duration: '30m',
            preAllocatedVUs: 40, maxVUs: 200 },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  thresholds: {
    'http_req_duration{expected_response:true}': ['p(99)<30'],
    http_req_failed: ['rate<0.01'],
  },
};

export default () => {
  const body = JSON.stringify(payloads[__ITER % payloads.length]);
  const res = http.post('https://scorer.perf.fraud.internal/v1/score', body,
                        { headers: { 'Content-Type': 'application/json' } });
  check(res, { 'scored': (r) => r.status === 200 && r.json('score') !== undefined });
};
