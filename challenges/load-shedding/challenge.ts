import { defineChallenge } from "../../harness/challenges/define-challenge.ts";

export default defineChallenge({
  slug: "load-shedding",
  title: "Load shedding and admission control",
  difficulty: "hard",
  summary: "Express middleware that keeps goodput up under overload: bounded concurrency, a short queue with deadlines, cheap 503s with Retry-After, critical traffic first, and a limit that follows latency.",
  services: [],
  exports: ["createAdmission"],
  stages: [
    {
      slug: "concurrency",
      title: "Concurrency",
      summary: "At most maxConcurrent requests inside the handlers; the rest wait and enter in arrival order as slots free.",
      hints: [
        "Count a slot as taken when you call next(), and free it when the response is over: res.once(\"close\") fires exactly once, after the response finished or when the connection died.",
        "Keep the waiting requests in a FIFO list of callbacks; when a slot frees, hand it straight to the head of the list instead of decrementing and re-checking.",
      ],
    },
    {
      slug: "shedding",
      title: "Shedding",
      summary: "When the queue is full, answer 503 with Retry-After at once; the handler never runs.",
      hints: [
        "Overload must be cheap: check the queue length first and answer before doing anything else with the request.",
        "Retry-After is in whole seconds (RFC 9110), and a 503 body is JSON { \"error\": \"overloaded\" }.",
      ],
    },
    {
      slug: "deadlines",
      title: "Queue deadlines",
      summary: "A request that waited maxQueueWaitMs is answered 503 at that moment, and never runs later.",
      hints: [
        "Give every queued request its own timer (or keep one timer for the earliest deadline); checking only when a slot frees answers far too late, or never.",
        "When the timer fires, take the request out of the queue before answering it, and clear the timer when it gets a slot.",
      ],
    },
    {
      slug: "disconnects",
      title: "Disconnects and failures",
      summary: "Clients that leave free their place; handlers that throw, fail or destroy the socket free their slot exactly once.",
      hints: [
        "res \"finish\" never fires when the socket dies; res \"close\" always fires, once. Free the slot there, with a guard so it can only happen once.",
        "A queued request whose client left must leave the queue at once, not when its turn comes: it takes a place a live request could have.",
      ],
    },
    {
      slug: "priorities",
      title: "Priorities",
      summary: "Critical requests go first and push sheddable ones out of a full queue.",
      hints: [
        "One FIFO queue per class; a free slot goes to the head of the highest non-empty class.",
        "With the queue full, an arrival evicts a waiting request of a lower class (503 for it) and takes its place; otherwise the arrival is the one shed.",
      ],
    },
    {
      slug: "goodput",
      title: "Goodput",
      summary: "At ten times capacity, admitted requests still finish in time and successful throughput stays near capacity.",
      hints: [
        "Work done for a client that already gave up is wasted: a short queue with a deadline keeps every admitted request fresh.",
      ],
    },
    {
      slug: "adaptive",
      title: "Adaptive limit",
      summary: "The limit grows to max under steady latency, falls when latency doubles, ignores jitter, and stays within [min, max].",
      hints: [
        "Keep a baseline (the lowest latency seen) and compare each sample with it: below 1.5× add one, above shrink by a factor.",
        "Clamp after every change and round to an integer; the limit you enforce must be the one limit() reports.",
      ],
    },
  ],
});
