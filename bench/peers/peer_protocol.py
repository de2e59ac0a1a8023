"""The JSON-lines ask/tell protocol between bench/bo.ts (which owns the objective functions, the noise
and the regret bookkeeping) and a Python optimizer. One request per line on stdin, one reply per line
on stdout:

  {"op": "start", "space": [...], "seed": s, "batch_size": q, "initial": [params...], "values": [...]}
  {"op": "ask"}                    -> {"params": [q params], "recommended": params, "ms": fit+propose time}
  {"op": "tell", "values": [...]}  -> {"ok": true}
  {"op": "recommend"}              -> {"recommended": params}

`space` lists {"kind": "continuous"|"integer"|"categorical", "name", "low", "high", "choices"} as
src/engine/space/space.ts. A run ends with the next "start"; the process ends at end of input.
"""
import json
import os
import sys
import time
import traceback


def serve(make_optimizer):
    # Protocol replies go to a private copy of stdout; fd 1 is pointed at stderr, so that anything a
    # library prints (SciPy's Fortran L-BFGS-B writes to fd 1 directly) cannot corrupt the protocol.
    replies = os.fdopen(os.dup(1), 'w')
    os.dup2(2, 1)
    optimizer = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        try:
            op = request['op']
            if op == 'start':
                optimizer = make_optimizer(request['space'], request['seed'], request['batch_size'])
                optimizer.tell(request['initial'], request['values'])
                reply = {'ok': True}
            elif op == 'ask':
                started = time.perf_counter()
                recommended = optimizer.recommend()
                params = optimizer.ask()
                reply = {'params': params, 'recommended': recommended, 'ms': 1000 * (time.perf_counter() - started)}
            elif op == 'tell':
                optimizer.tell(None, request['values'])
                reply = {'ok': True}
            elif op == 'recommend':
                reply = {'recommended': optimizer.recommend()}
            else:
                reply = {'error': f'unknown op {op}'}
        except Exception as error:  # report to the bench instead of dying silently
            reply = {'error': f'{type(error).__name__}: {error}', 'trace': traceback.format_exc()}
        replies.write(json.dumps(reply) + '\n')
        replies.flush()


def to_plain(value):
    """numpy scalars → JSON numbers."""
    if hasattr(value, 'item'):
        return value.item()
    return value
