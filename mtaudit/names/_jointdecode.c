/* The three searches of mtaudit.names.transliteration.JointNgram (decode, marginal, joint),
 * compiled: see mtaudit/names/jointdecode.py for why C and how it is built and chosen; and
 * mtaudit.names.channel's weighted edit distance (Channel, at the end: see
 * mtaudit/names/compiled_channel.py).
 *
 * Each search repeats the Python reference operation for operation, so that the results are
 * the same floats in the same order:
 * - a state set is an insertion-ordered map (an array in insertion order plus a hash index),
 *   as a Python dict is, so log-add-exp accumulates in the same order;
 * - a beam keeps the best states in a stable order (log P descending, then insertion order),
 *   as sorted(..., reverse=True) does, and the kept states are then iterated in that order;
 * - log P of a unit after a history walks the same backoff chain with the same sums
 *   (0.0 + p, then bow by bow), float32 table values widened to double as .tolist() does;
 * - log-add-exp is the reference's expression, with libm's exp and log1p (what math uses).
 * Build with -ffp-contract=off and without -ffast-math: no fused or reordered arithmetic.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* Strings are always ready from 3.12 on, where PyUnicode_READY is deprecated (and a no-op). */
#if PY_VERSION_HEX >= 0x030C0000
#define ENSURE_READY(s) 0
#else
#define ENSURE_READY(s) PyUnicode_READY(s)
#endif

#ifndef JOINTDECODE_SOURCE_SHA1
#define JOINTDECODE_SOURCE_SHA1 ""
#endif

#define MAX_AR 8          /* code points of a unit's Arabic chunk (the model has at most 2) */
#define MAX_ARABIC 2      /* the Arabic chunk lengths the pair lattice tries (MAX_ARABIC) */
#define MAX_LATIN 3       /* Latin chunk lengths (MAX_LATIN) */
#define MAX_ROW 64        /* DECODE_UNITS may not exceed this */
#define MAX_POOL 256      /* units in a decoding pool (DECODE_POOL) */
#define ROW_CACHE_MAX (1 << 18) /* row cache slots (half of them rows) before it starts again */
#define KEEP_MAPS 4096    /* scratch state maps kept after a search (a long pair needs more) */
#define KEEP_TRIE (1 << 17) /* trie nodes kept after a decode (a name needs about 10^4) */

/* ------------------------------------------------------------------------------------ */
/* insertion-ordered map of states: key (h0, h1, node) -> log P                           */

typedef struct {
    int32_t h0, h1, node;
    double lp;
} State;

typedef struct {
    State *items;
    Py_ssize_t n, cap;
    int32_t *slots; /* index into items, -1 empty; size nslots (a power of two) */
    Py_ssize_t nslots;
} SMap;

static inline uint64_t mix64(uint64_t x) { /* splitmix64's finaliser */
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

static inline uint64_t hash3(int32_t a, int32_t b, int32_t c) {
    return mix64(((uint64_t)(uint32_t)a << 32 | (uint32_t)b) ^ mix64((uint64_t)(uint32_t)c + 0x9E3779B97F4A7C15ULL));
}

static void smap_free(SMap *m) {
    PyMem_Free(m->items);
    PyMem_Free(m->slots);
    m->items = NULL;
    m->slots = NULL;
    m->n = m->cap = m->nslots = 0;
}

static int smap_rehash(SMap *m, Py_ssize_t nslots) {
    int32_t *slots = PyMem_Malloc(sizeof(int32_t) * nslots);
    if (!slots) {
        PyErr_NoMemory();
        return -1;
    }
    memset(slots, 0xff, sizeof(int32_t) * nslots);
    for (Py_ssize_t i = 0; i < m->n; i++) {
        State *s = &m->items[i];
        Py_ssize_t p = (Py_ssize_t)(hash3(s->h0, s->h1, s->node) & (uint64_t)(nslots - 1));
        while (slots[p] >= 0) p = (p + 1) & (nslots - 1);
        slots[p] = (int32_t)i;
    }
    PyMem_Free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    return 0;
}

/* The reference's log-add-exp of a stored value ``old`` and a new one ``v``. */
static inline double logaddexp(double old, double v) {
    if (old < v) return old == -INFINITY ? v : v + log1p(exp(old - v));
    return v == -INFINITY ? old : old + log1p(exp(v - old));
}

/* (the functions below that return -1 on a failed allocation set MemoryError) */

/* nxt[key] = v if key is new, else logaddexp(nxt[key], v): dict.setdefault and the sums. */
static int smap_add(SMap *m, int32_t h0, int32_t h1, int32_t node, double v) {
    if (m->nslots == 0 || 2 * (m->n + 1) > m->nslots) {
        if (smap_rehash(m, m->nslots ? 2 * m->nslots : 64) < 0) return -1;
    }
    Py_ssize_t mask = m->nslots - 1;
    Py_ssize_t p = (Py_ssize_t)(hash3(h0, h1, node) & (uint64_t)mask);
    for (;;) {
        int32_t k = m->slots[p];
        if (k < 0) break;
        State *s = &m->items[k];
        if (s->h0 == h0 && s->h1 == h1 && s->node == node) {
            s->lp = logaddexp(s->lp, v);
            return 0;
        }
        p = (p + 1) & mask;
    }
    if (m->n == m->cap) {
        Py_ssize_t cap = m->cap ? 2 * m->cap : 32;
        State *items = PyMem_Realloc(m->items, sizeof(State) * cap);
        if (!items) {
            PyErr_NoMemory();
            return -1;
        }
        m->items = items;
        m->cap = cap;
    }
    m->slots[p] = (int32_t)m->n;
    m->items[m->n++] = (State){h0, h1, node, v};
    return 0;
}

/* Keep the ``beam`` best states, best first: dict(sorted(items, key=lp, reverse=True)[:beam]),
   whose stable sort puts equal log P in insertion order. One pass keeps the best so far in
   that order: a later state displaces one only with a strictly higher log P. */
static int smap_prune(SMap *m, Py_ssize_t beam) {
    if (m->n <= beam) return 0;
    if (beam == 0) {
        m->n = 0;
        return smap_rehash(m, m->nslots);
    }
    State *top = PyMem_Malloc(sizeof(State) * beam);
    if (!top) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t cnt = 0;
    for (Py_ssize_t i = 0; i < m->n; i++) {
        double v = m->items[i].lp;
        if (cnt == beam) {
            if (!(v > top[beam - 1].lp)) continue;
            cnt--;
        }
        Py_ssize_t q = cnt;
        while (q > 0 && top[q - 1].lp < v) {
            top[q] = top[q - 1];
            q--;
        }
        top[q] = m->items[i];
        cnt++;
    }
    memcpy(m->items, top, sizeof(State) * beam);
    PyMem_Free(top);
    m->n = beam;
    return smap_rehash(m, m->nslots);
}

/* the Arabic outputs of decoding: a trie of code points, one node per distinct string */
typedef struct {
    int32_t *parent, *first, *sibling; /* a node's parent, first child and next sibling */
    Py_UCS4 *cp;                       /* the code point a node adds to its parent's string */
    Py_ssize_t n, cap;
} Trie;

/* ------------------------------------------------------------------------------------ */
/* the decoder object: the n-gram's arrays and a cache of rows                              */

typedef struct {
    int32_t key0, key1, latin; /* (full context index or -1, newest history unit or -1, Latin chunk) */
    int32_t row;               /* index into the row store, -1 empty */
} RowSlot;

typedef struct {
    PyObject_HEAD
    int ready; /* __init__ succeeded (once: it may not run again) */
    int order;
    double floor;
    int64_t n_units;
    /* the stored arrays (buffers held for the object's life) */
    Py_buffer b_ctx_key, b_offsets, b_ids, b_lps, b_bows;
    const int64_t *ctx_key;
    const int32_t *offsets, *ids;
    const float *lps, *bows;
    Py_ssize_t n_ctx;
    int32_t *ctx_slots; /* context key -> index, open addressing over ctx_key */
    Py_ssize_t ctx_nslots;
    /* the () context, dense: uni[u] and whether u has a value there */
    int32_t ctx0;
    double *uni;
    char *uni_has;
    /* units' Arabic chunks */
    Py_ssize_t n_units_ar;
    int32_t *ar_len;
    Py_UCS4 *ar_cp; /* MAX_AR per unit */
    uint64_t *ar_packed; /* (length, code points) in one word, for the pair lattice's look-ups */
    /* per Latin chunk index: the decoding pool and the units (one per Arabic chunk) */
    Py_ssize_t n_keys;
    int32_t *pool_off, *pool;
    int32_t *kunit_off, *kunit;
    int decode_units;
    /* row cache */
    RowSlot *rslots;
    Py_ssize_t rnslots, rcount;
    double *row_lp;
    int32_t *row_u;
    int32_t *row_n;
    Py_ssize_t rcap;
    Py_ssize_t row_hits, row_misses;
    /* scratch memory of the searches, kept from call to call. Safe because no two searches
       of one Decoder overlap: each holds the GIL throughout and runs no Python code while it
       uses the scratch (the keys and z are read before; in decode, the only allocations that
       can start a garbage collection, and so a finaliser that might decode again, come after
       the last use of the maps and the trie). A free-threaded build (3.13t) imports this
       single-phase module with the GIL switched on, as it does any module that does not
       declare Py_MOD_GIL_NOT_USED: it must not declare it while the scratch is shared. */
    SMap *maps;
    Py_ssize_t nmaps;
    Trie trie;
} Decoder;

static int get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *codes, const char *name) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
    const char *fmt = view->format ? view->format : "B";
    if (fmt[0] == '<' || fmt[0] == '=' || fmt[0] == '@') fmt++;
    if (view->itemsize != itemsize || strchr(codes, fmt[0]) == NULL || fmt[1] != 0 ||
        (uintptr_t)view->buf % (uintptr_t)itemsize != 0) { /* read as C arrays: aligned items only */
        PyErr_Format(PyExc_TypeError, "%s: expected aligned items of %zd bytes (%s), got format %s", name, itemsize, codes,
                     view->format ? view->format : "B");
        PyBuffer_Release(view);
        view->obj = NULL;
        return -1;
    }
    return 0;
}

/* the index of a context key, or -1 */
static inline int32_t find_ctx(const Decoder *d, int64_t key) {
    Py_ssize_t mask = d->ctx_nslots - 1;
    Py_ssize_t p = (Py_ssize_t)(mix64((uint64_t)key) & (uint64_t)mask);
    for (;;) {
        int32_t c = d->ctx_slots[p];
        if (c < 0) return -1;
        if (d->ctx_key[c] == key) return c;
        p = (p + 1) & mask;
    }
}

/* log P of unit u in context c, if the context has it */
static inline int find_in_ctx(const Decoder *d, int32_t c, int32_t u, double *out) {
    if (c == d->ctx0) {
        if (u >= 0 && u < d->n_units && d->uni_has[u]) {
            *out = d->uni[u];
            return 1;
        }
        return 0;
    }
    Py_ssize_t lo = d->offsets[c], hi = d->offsets[c + 1];
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) >> 1;
        if (d->ids[mid] < u) lo = mid + 1;
        else hi = mid;
    }
    if (lo < d->offsets[c + 1] && d->ids[lo] == u) {
        *out = (double)d->lps[lo];
        return 1;
    }
    return 0;
}

/* The backoff chain of a history (h0, h1): the contexts that exist, longest first. */
typedef struct {
    int n;
    int32_t c[3];
    int32_t full; /* index of the whole history as a context, or -1 (order > 1) */
} Chain;

static inline int64_t ckey1(const Decoder *d, int32_t x) { return (int64_t)x + 1; }
static inline int64_t ckey2(const Decoder *d, int32_t x, int32_t y) {
    return ((int64_t)x + 1) * (d->n_units + 1) + (int64_t)y + 1;
}

static inline void chain_of(const Decoder *d, int32_t h0, int32_t h1, Chain *ch) {
    ch->n = 0;
    ch->full = -1;
    int32_t c;
    if (d->order == 3) {
        c = find_ctx(d, ckey2(d, h0, h1));
        ch->full = c;
        if (c >= 0) ch->c[ch->n++] = c;
    }
    if (d->order >= 2) {
        c = find_ctx(d, ckey1(d, h1));
        if (d->order == 2) ch->full = c;
        if (c >= 0) ch->c[ch->n++] = c;
    }
    if (d->ctx0 >= 0) ch->c[ch->n++] = d->ctx0;
}

/* JointNgram.logprob: the first context of the chain that has u, after the backoff weights
   of those before it; the floor after all of them. */
static inline double lp_chain(const Decoder *d, const Chain *ch, int32_t u) {
    double total = 0.0, p;
    for (int t = 0; t < ch->n; t++) {
        if (find_in_ctx(d, ch->c[t], u, &p)) return total + p;
        total += (double)d->bows[ch->c[t]];
    }
    return total + d->floor;
}

/* the history after h: (h + (u,))[1:] */
static inline void next_hist(const Decoder *d, int32_t h0, int32_t h1, int32_t u, int32_t *n0, int32_t *n1) {
    if (d->order == 3) {
        *n0 = h1;
        *n1 = u;
    } else if (d->order == 2) {
        *n0 = -1;
        *n1 = u;
    } else {
        *n0 = -1;
        *n1 = -1;
    }
}

static void row_cache_reset(Decoder *d) {
    if (d->rslots)
        for (Py_ssize_t i = 0; i < d->rnslots; i++) d->rslots[i].row = -1;
    d->rcount = 0;
}

static int row_cache_grow(Decoder *d) {
    Py_ssize_t nslots = d->rnslots ? 2 * d->rnslots : 4096;
    RowSlot *slots = PyMem_Malloc(sizeof(RowSlot) * nslots);
    if (!slots) goto nomem;
    for (Py_ssize_t i = 0; i < nslots; i++) slots[i].row = -1;
    for (Py_ssize_t i = 0; i < d->rnslots; i++) {
        RowSlot s = d->rslots[i];
        if (s.row < 0) continue;
        Py_ssize_t p = (Py_ssize_t)(hash3(s.key0, s.key1, s.latin) & (uint64_t)(nslots - 1));
        while (slots[p].row >= 0) p = (p + 1) & (nslots - 1);
        slots[p] = s;
    }
    PyMem_Free(d->rslots);
    d->rslots = slots;
    d->rnslots = nslots;
    Py_ssize_t cap = nslots / 2;
    double *lp = PyMem_Realloc(d->row_lp, sizeof(double) * cap * d->decode_units);
    if (!lp) goto nomem;
    d->row_lp = lp;
    int32_t *u = PyMem_Realloc(d->row_u, sizeof(int32_t) * cap * d->decode_units);
    if (!u) goto nomem;
    d->row_u = u;
    int32_t *n = PyMem_Realloc(d->row_n, sizeof(int32_t) * cap);
    if (!n) goto nomem;
    d->row_n = n;
    d->rcap = cap; /* only once all three hold cap rows */
    return 0;
nomem:
    PyErr_NoMemory();
    return -1;
}

/* JointNgram._row: the DECODE_UNITS likeliest units of Latin chunk ``latin`` after the
   history, best first (equal log P in the pool's order). A row depends on the history only
   through its backoff chain and its newest unit, so the cache is keyed by those: a history
   that is no context shares the row of its shorter history, as _short_rows does. */
static int get_row(Decoder *d, const Chain *ch, int32_t h1, int32_t latin, const double **lps, const int32_t **units,
                   int *count) {
    int32_t key0 = ch->full, key1 = d->order == 3 ? h1 : -1;
    if (d->rnslots == 0 && row_cache_grow(d) < 0) return -1;
    Py_ssize_t mask = d->rnslots - 1;
    Py_ssize_t p = (Py_ssize_t)(hash3(key0, key1, latin) & (uint64_t)mask);
    while (d->rslots[p].row >= 0) {
        RowSlot *s = &d->rslots[p];
        if (s->key0 == key0 && s->key1 == key1 && s->latin == latin) {
            d->row_hits++;
            *lps = d->row_lp + (Py_ssize_t)s->row * d->decode_units;
            *units = d->row_u + (Py_ssize_t)s->row * d->decode_units;
            *count = d->row_n[s->row];
            return 0;
        }
        p = (p + 1) & mask;
    }
    d->row_misses++;
    if (d->rcount + 1 > d->rcap) {
        if (d->rnslots >= ROW_CACHE_MAX) row_cache_reset(d);
        else if (row_cache_grow(d) < 0) return -1;
        mask = d->rnslots - 1;
        p = (Py_ssize_t)(hash3(key0, key1, latin) & (uint64_t)mask);
        while (d->rslots[p].row >= 0) p = (p + 1) & mask;
    }
    /* compute: the pool's log P, then a stable selection of the best decode_units */
    int32_t a = d->pool_off[latin], b = d->pool_off[latin + 1];
    int np = b - a;
    double lpbuf[MAX_POOL];
    int idx[MAX_POOL];
    if (np > MAX_POOL) {
        PyErr_SetString(PyExc_ValueError, "decoding pool too large");
        return -1;
    }
    for (int t = 0; t < np; t++) {
        lpbuf[t] = lp_chain(d, ch, d->pool[a + t]);
        /* insertion into a list ordered by (log P desc, pool position asc) */
        int q = t;
        while (q > 0 && lpbuf[idx[q - 1]] < lpbuf[t]) {
            idx[q] = idx[q - 1];
            q--;
        }
        idx[q] = t;
    }
    int keep = np < d->decode_units ? np : d->decode_units;
    Py_ssize_t r = d->rcount++;
    double *rl = d->row_lp + r * d->decode_units;
    int32_t *ru = d->row_u + r * d->decode_units;
    for (int t = 0; t < keep; t++) {
        rl[t] = lpbuf[idx[t]];
        ru[t] = d->pool[a + idx[t]];
    }
    d->row_n[r] = keep;
    d->rslots[p] = (RowSlot){key0, key1, latin, (int32_t)r};
    *lps = rl;
    *units = ru;
    *count = keep;
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* the trie (see Trie above)                                                              */

static void trie_reset(Trie *t) { t->n = 0; }

static void trie_free(Trie *t) {
    PyMem_Free(t->parent);
    PyMem_Free(t->first);
    PyMem_Free(t->sibling);
    PyMem_Free(t->cp);
    memset(t, 0, sizeof(*t));
}

static int32_t trie_new(Trie *t, int32_t parent, Py_UCS4 c) {
    if (t->n == t->cap) {
        Py_ssize_t cap = t->cap ? 2 * t->cap : 1024;
        int32_t *p = PyMem_Realloc(t->parent, sizeof(int32_t) * cap);
        if (!p) return -1;
        t->parent = p;
        p = PyMem_Realloc(t->first, sizeof(int32_t) * cap);
        if (!p) return -1;
        t->first = p;
        p = PyMem_Realloc(t->sibling, sizeof(int32_t) * cap);
        if (!p) return -1;
        t->sibling = p;
        Py_UCS4 *q = PyMem_Realloc(t->cp, sizeof(Py_UCS4) * cap);
        if (!q) return -1;
        t->cp = q;
        t->cap = cap;
    }
    int32_t id = (int32_t)t->n++;
    t->parent[id] = parent;
    t->cp[id] = c;
    t->first[id] = -1;
    t->sibling[id] = -1;
    if (parent >= 0) {
        t->sibling[id] = t->first[parent];
        t->first[parent] = id;
    }
    return id;
}

/* the node of (string of node) + c: a node has few children (letters), found by a scan */
static inline int32_t trie_child(Trie *t, int32_t node, Py_UCS4 c) {
    for (int32_t x = t->first[node]; x >= 0; x = t->sibling[x])
        if (t->cp[x] == c) return x;
    return trie_new(t, node, c);
}

static PyObject *trie_string(const Trie *t, int32_t node) {
    Py_ssize_t len = 0;
    Py_UCS4 maxchar = 0; /* a str is stored in its narrowest kind: equality depends on it */
    for (int32_t x = node; x > 0; x = t->parent[x]) {
        len++;
        if (t->cp[x] > maxchar) maxchar = t->cp[x];
    }
    PyObject *out = PyUnicode_New(len, maxchar);
    if (!out) return NULL;
    int kind = PyUnicode_KIND(out);
    void *data = PyUnicode_DATA(out);
    for (int32_t x = node; x > 0; x = t->parent[x]) PyUnicode_WRITE(kind, data, --len, t->cp[x]);
    return out;
}

/* ------------------------------------------------------------------------------------ */

static void Decoder_dealloc(Decoder *d) {
    if (d->b_ctx_key.obj) PyBuffer_Release(&d->b_ctx_key);
    if (d->b_offsets.obj) PyBuffer_Release(&d->b_offsets);
    if (d->b_ids.obj) PyBuffer_Release(&d->b_ids);
    if (d->b_lps.obj) PyBuffer_Release(&d->b_lps);
    if (d->b_bows.obj) PyBuffer_Release(&d->b_bows);
    PyMem_Free(d->ctx_slots);
    PyMem_Free(d->uni);
    PyMem_Free(d->uni_has);
    PyMem_Free(d->ar_len);
    PyMem_Free(d->ar_cp);
    PyMem_Free(d->ar_packed);
    PyMem_Free(d->pool_off);
    PyMem_Free(d->pool);
    PyMem_Free(d->kunit_off);
    PyMem_Free(d->kunit);
    PyMem_Free(d->rslots);
    PyMem_Free(d->row_lp);
    PyMem_Free(d->row_u);
    PyMem_Free(d->row_n);
    for (Py_ssize_t i = 0; i < d->nmaps; i++) smap_free(&d->maps[i]);
    PyMem_Free(d->maps);
    trie_free(&d->trie);
    Py_TYPE(d)->tp_free((PyObject *)d);
}

/* a list of lists of ints → offsets and a flat array. The outer sequence is copied to a
   tuple and each inner one read as a list or tuple of exact ints, so that no Python code
   (a __len__, an __iter__, an __index__) runs between measuring and filling: the sizes
   measured are the sizes written. */
static int flatten(PyObject *lists, Py_ssize_t n_units, int32_t **off_out, int32_t **flat_out, Py_ssize_t *count) {
    PyObject *seq = PySequence_Tuple(lists);
    if (!seq) return -1;
    Py_ssize_t n = PyTuple_GET_SIZE(seq), total = 0;
    int32_t *off = NULL, *flat = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *inner = PyTuple_GET_ITEM(seq, i);
        if (!PyList_Check(inner) && !PyTuple_Check(inner)) {
            PyErr_SetString(PyExc_TypeError, "expected a list of lists of unit ids");
            goto fail;
        }
        total += PySequence_Fast_GET_SIZE(inner);
    }
    if (total > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "too many unit ids");
        goto fail;
    }
    off = PyMem_Malloc(sizeof(int32_t) * (n + 1));
    flat = PyMem_Malloc(sizeof(int32_t) * (total ? total : 1));
    if (!off || !flat) {
        PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        off[i] = (int32_t)at;
        PyObject *inner = PyTuple_GET_ITEM(seq, i);
        for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(inner); j++) {
            PyObject *item = PySequence_Fast_GET_ITEM(inner, j);
            if (!PyLong_Check(item)) {
                PyErr_SetString(PyExc_TypeError, "expected a list of lists of unit ids");
                goto fail;
            }
            long v = PyLong_AsLong(item);
            if (v == -1 && PyErr_Occurred()) goto fail;
            if (v < 0 || v >= n_units) {
                PyErr_SetString(PyExc_ValueError, "unit id out of range");
                goto fail;
            }
            if (at >= total) { /* cannot happen (nothing ran since they were counted) */
                PyErr_SetString(PyExc_RuntimeError, "a list of unit ids changed size");
                goto fail;
            }
            flat[at++] = (int32_t)v;
        }
    }
    off[n] = (int32_t)at;
    Py_DECREF(seq);
    *off_out = off;
    *flat_out = flat;
    *count = n;
    return 0;
fail:
    PyMem_Free(off);
    PyMem_Free(flat);
    Py_DECREF(seq);
    return -1;
}

static int Decoder_init(Decoder *d, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"order", "floor", "ctx_key", "offsets", "ids", "lps", "bows", "unit_arabic", "pools",
                             "key_units", "decode_units", NULL};
    PyObject *ctx_key, *offsets, *ids, *lps, *bows, *unit_ar, *pools, *key_units;
    int order, decode_units;
    double floor;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "idOOOOOOOOi", kwlist, &order, &floor, &ctx_key, &offsets, &ids, &lps,
                                     &bows, &unit_ar, &pools, &key_units, &decode_units))
        return -1;
    if (d->ready || d->b_ctx_key.obj || d->ctx_slots) { /* its arrays and buffers would leak */
        PyErr_SetString(PyExc_TypeError, "a Decoder is initialised once");
        return -1;
    }
    if (order < 1 || order > 3) {
        PyErr_SetString(PyExc_ValueError, "only n-grams of order 1 to 3 are compiled");
        return -1;
    }
    if (decode_units < 1 || decode_units > MAX_ROW) {
        PyErr_SetString(PyExc_ValueError, "decode_units out of range");
        return -1;
    }
    d->order = order;
    d->floor = floor;
    d->decode_units = decode_units;
    if (get_buffer(ctx_key, &d->b_ctx_key, 8, "qlL", "ctx_key") < 0) return -1;
    if (get_buffer(offsets, &d->b_offsets, 4, "iIl", "offsets") < 0) return -1;
    if (get_buffer(ids, &d->b_ids, 4, "iIl", "ids") < 0) return -1;
    if (get_buffer(lps, &d->b_lps, 4, "f", "lps") < 0) return -1;
    if (get_buffer(bows, &d->b_bows, 4, "f", "bows") < 0) return -1;
    d->ctx_key = d->b_ctx_key.buf;
    d->offsets = d->b_offsets.buf;
    d->ids = d->b_ids.buf;
    d->lps = d->b_lps.buf;
    d->bows = d->b_bows.buf;
    d->n_ctx = d->b_ctx_key.len / 8;
    Py_ssize_t n_ids = d->b_ids.len / 4;
    if (d->b_offsets.len / 4 != d->n_ctx + 1 || d->b_bows.len / 4 != d->n_ctx || d->b_lps.len / 4 != n_ids) {
        PyErr_SetString(PyExc_ValueError, "inconsistent n-gram arrays");
        return -1;
    }
    for (Py_ssize_t i = 1; i < d->n_ctx; i++)
        if (!(d->ctx_key[i - 1] < d->ctx_key[i])) { /* unique keys (the reader bisects them) */
            PyErr_SetString(PyExc_ValueError, "context keys not strictly increasing");
            return -1;
        }
    d->ctx_nslots = 64;
    while (d->ctx_nslots < 2 * d->n_ctx) d->ctx_nslots *= 2;
    d->ctx_slots = PyMem_Malloc(sizeof(int32_t) * d->ctx_nslots);
    if (!d->ctx_slots) {
        PyErr_NoMemory();
        return -1;
    }
    memset(d->ctx_slots, 0xff, sizeof(int32_t) * d->ctx_nslots);
    for (Py_ssize_t i = 0; i < d->n_ctx; i++) {
        Py_ssize_t p = (Py_ssize_t)(mix64((uint64_t)d->ctx_key[i]) & (uint64_t)(d->ctx_nslots - 1));
        while (d->ctx_slots[p] >= 0) p = (p + 1) & (d->ctx_nslots - 1);
        d->ctx_slots[p] = (int32_t)i;
    }
    for (Py_ssize_t c = 0; c < d->n_ctx; c++) {
        if (d->offsets[c] < 0 || d->offsets[c] > d->offsets[c + 1] || d->offsets[c + 1] > n_ids) {
            PyErr_SetString(PyExc_ValueError, "bad context offsets");
            return -1;
        }
        for (Py_ssize_t i = d->offsets[c] + 1; i < d->offsets[c + 1]; i++)
            if (!(d->ids[i - 1] < d->ids[i])) {
                PyErr_SetString(PyExc_ValueError, "unit ids of a context not strictly increasing");
                return -1;
            }
    }
    PyObject *ar = PySequence_Fast(unit_ar, "unit_arabic: expected a list of str");
    if (!ar) return -1;
    Py_ssize_t nu = PySequence_Fast_GET_SIZE(ar);
    d->n_units = nu;
    d->n_units_ar = nu;
    d->ar_len = PyMem_Malloc(sizeof(int32_t) * (nu ? nu : 1));
    d->ar_cp = PyMem_Malloc(sizeof(Py_UCS4) * MAX_AR * (nu ? nu : 1));
    d->ar_packed = PyMem_Malloc(sizeof(uint64_t) * (nu ? nu : 1));
    if (!d->ar_len || !d->ar_cp || !d->ar_packed) {
        Py_DECREF(ar);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t u = 0; u < nu; u++) {
        PyObject *s = PySequence_Fast_GET_ITEM(ar, u);
        if (!PyUnicode_Check(s) || ENSURE_READY(s) < 0) {
            Py_DECREF(ar);
            PyErr_SetString(PyExc_TypeError, "unit_arabic: expected str");
            return -1;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        if (len > MAX_AR) {
            Py_DECREF(ar);
            PyErr_SetString(PyExc_ValueError, "a unit's Arabic chunk is too long");
            return -1;
        }
        d->ar_len[u] = (int32_t)len;
        uint64_t packed = (uint64_t)len;
        for (Py_ssize_t i = 0; i < len; i++) {
            Py_UCS4 c = PyUnicode_READ_CHAR(s, i);
            d->ar_cp[u * MAX_AR + i] = c;
            if (i < 2) packed |= (uint64_t)c << (4 + 21 * i);
        }
        d->ar_packed[u] = len <= 2 ? packed : UINT64_MAX; /* longer chunks: never a lattice step */
    }
    Py_DECREF(ar);
    /* the () context, dense */
    d->ctx0 = find_ctx(d, 0);
    d->uni = PyMem_Calloc(nu ? nu : 1, sizeof(double));
    d->uni_has = PyMem_Calloc(nu ? nu : 1, 1);
    if (!d->uni || !d->uni_has) {
        PyErr_NoMemory();
        return -1;
    }
    if (d->ctx0 >= 0)
        for (Py_ssize_t i = d->offsets[d->ctx0]; i < d->offsets[d->ctx0 + 1]; i++) {
            int32_t u = d->ids[i];
            if (u >= 0 && u < nu) {
                d->uni[u] = (double)d->lps[i];
                d->uni_has[u] = 1;
            }
        }
    Py_ssize_t nk1, nk2;
    if (flatten(pools, nu, &d->pool_off, &d->pool, &nk1) < 0) return -1;
    if (flatten(key_units, nu, &d->kunit_off, &d->kunit, &nk2) < 0) return -1;
    if (nk1 != nk2) {
        PyErr_SetString(PyExc_ValueError, "pools and key_units differ in length");
        return -1;
    }
    for (Py_ssize_t i = 0; i < nk1; i++)
        if (d->pool_off[i + 1] - d->pool_off[i] > MAX_POOL) { /* get_row's buffers hold MAX_POOL */
            PyErr_SetString(PyExc_ValueError, "decoding pool too large");
            return -1;
        }
    d->n_keys = nk1;
    d->ready = 1;
    return 0;
}

/* the searches read the arrays __init__ made: refuse a Decoder whose __init__ did not run
   (Decoder.__new__) or failed */
static int check_ready(const Decoder *d) {
    if (d->ready) return 0;
    PyErr_SetString(PyExc_TypeError, "the Decoder is not initialised");
    return -1;
}

/* keys: for each Latin position i (0..n) and chunk length k (1..3), the index of the Latin
   chunk unit_key(latin, i, k) among the model's chunks, or -1 (unknown or past the end) */
static int read_keys(Decoder *d, PyObject *keys, Py_ssize_t n, int32_t **out) {
    PyObject *seq = PySequence_Fast(keys, "keys: expected a list of ints");
    if (!seq) return -1;
    Py_ssize_t size = PySequence_Fast_GET_SIZE(seq); /* (n + 1) * 3 might overflow: divide */
    if (size % MAX_LATIN != 0 || size / MAX_LATIN - 1 != n) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "keys: expected (n + 1) * 3 chunk indices");
        return -1;
    }
    int32_t *k = PyMem_Malloc(sizeof(int32_t) * (n + 1) * MAX_LATIN);
    if (!k) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < size; i++) {
        /* an int only: a non-int's __index__ could run code that shrinks the list */
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyLong_Check(item)) {
            PyMem_Free(k);
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "keys: expected a list of ints");
            return -1;
        }
        long v = PyLong_AsLong(item);
        if (v == -1 && PyErr_Occurred()) {
            PyMem_Free(k);
            Py_DECREF(seq);
            return -1;
        }
        if (v >= d->n_keys) {
            PyMem_Free(k);
            Py_DECREF(seq);
            PyErr_SetString(PyExc_ValueError, "keys: chunk index out of range");
            return -1;
        }
        k[i] = v < 0 ? -1 : (int32_t)v;
    }
    Py_DECREF(seq);
    *out = k;
    return 0;
}

/* ``count`` empty state maps (the decoder's scratch maps, cleared) */
static SMap *new_states(Decoder *d, Py_ssize_t count) {
    if (count > d->nmaps) {
        SMap *maps = (size_t)count > PY_SSIZE_T_MAX / sizeof(SMap) ? NULL : PyMem_Realloc(d->maps, sizeof(SMap) * count);
        if (!maps) {
            PyErr_NoMemory();
            return NULL;
        }
        memset(maps + d->nmaps, 0, sizeof(SMap) * (count - d->nmaps));
        d->maps = maps;
        d->nmaps = count;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        SMap *m = &d->maps[i];
        if (m->n) {
            m->n = 0;
            memset(m->slots, 0xff, sizeof(int32_t) * m->nslots);
        }
    }
    return d->maps;
}

/* after a search: give back what a very long input made the scratch maps take */
static void shrink_states(Decoder *d) {
    if (d->nmaps <= KEEP_MAPS) return;
    for (Py_ssize_t i = KEEP_MAPS; i < d->nmaps; i++) smap_free(&d->maps[i]);
    d->nmaps = KEEP_MAPS;
    /* and the array of maps itself (a long pair's lattice has (n + 1)(m + 1) of them) */
    SMap *maps = PyMem_Realloc(d->maps, sizeof(SMap) * KEEP_MAPS);
    if (maps) d->maps = maps; /* else the larger block stays, still valid */
}

static inline void start_hist(const Decoder *d, int32_t *h0, int32_t *h1) {
    *h0 = d->order == 3 ? 0 : -1;
    *h1 = d->order >= 2 ? 0 : -1;
}

/* The forward search over Latin positions shared by decode (with_output: states keyed by
   history and Arabic output) and marginal (states keyed by history). */
static int forward(Decoder *d, Py_ssize_t n, const int32_t *keys, Py_ssize_t beam, double escape, int with_output,
                   SMap *states, Trie *trie) {
    int32_t h0, h1;
    start_hist(d, &h0, &h1);
    if (smap_add(&states[0], h0, h1, 0, 0.0) < 0) return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        SMap *cur = &states[i];
        if (cur->n == 0) continue;
        if (smap_prune(cur, beam) < 0) return -1;
        int expanded = 0;
        Chain *chains = NULL;
        for (int k = 1; k <= MAX_LATIN; k++) {
            if (i + k > n) break;
            int32_t key = keys[i * MAX_LATIN + (k - 1)];
            if (key < 0) continue;
            if (!expanded) { /* each state's backoff chain, once for all its chunks */
                chains = PyMem_Malloc(sizeof(Chain) * cur->n);
                if (!chains) {
                    PyErr_NoMemory();
                    return -1;
                }
                for (Py_ssize_t s = 0; s < cur->n; s++) chain_of(d, cur->items[s].h0, cur->items[s].h1, &chains[s]);
            }
            expanded = 1;
            SMap *nxt = &states[i + k];
            for (Py_ssize_t s = 0; s < cur->n; s++) {
                State st = cur->items[s];
                const double *rl;
                const int32_t *ru;
                int cnt;
                if (get_row(d, &chains[s], st.h1, key, &rl, &ru, &cnt) < 0) {
                    PyMem_Free(chains);
                    return -1;
                }
                for (int t = 0; t < cnt; t++) {
                    int32_t n0, n1, node = 0, u = ru[t];
                    next_hist(d, st.h0, st.h1, u, &n0, &n1);
                    if (with_output) {
                        node = st.node;
                        for (int c = 0; c < d->ar_len[u]; c++) {
                            node = trie_child(trie, node, d->ar_cp[u * MAX_AR + c]);
                            if (node < 0) {
                                PyMem_Free(chains);
                                PyErr_NoMemory();
                                return -1;
                            }
                        }
                    }
                    if (smap_add(nxt, n0, n1, node, st.lp + rl[t]) < 0) {
                        PyMem_Free(chains);
                        return -1;
                    }
                }
            }
        }
        PyMem_Free(chains);
        if (!expanded) { /* a letter no unit covers: skip it at a cost */
            SMap *nxt = &states[i + 1];
            for (Py_ssize_t s = 0; s < cur->n; s++) {
                State st = cur->items[s];
                if (smap_add(nxt, st.h0, st.h1, st.node, st.lp + escape) < 0) return -1;
            }
        }
    }
    return 0;
}

typedef struct {
    double lp;
    PyObject *ar;
} Hyp;

/* sorted((lp, ar) ..., reverse=True): log P descending, equal ones by the string descending
   (the tuples' order; no two hypotheses have the same string) */
static int cmp_hyp_desc(const void *a, const void *b) {
    const Hyp *x = a, *y = b;
    if (x->lp > y->lp) return -1;
    if (x->lp < y->lp) return 1;
    return -PyUnicode_Compare(x->ar, y->ar); /* two str: cannot fail */
}

/* decode(n, keys, beam, escape, z=None): the finished hypotheses best first, as the list
   [(log P, Arabic)], or, given z, as the tuple ((Arabic, log P - z), ...) */
static PyObject *Decoder_decode(Decoder *d, PyObject *args) {
    Py_ssize_t n, beam;
    PyObject *keys_obj, *z_obj = Py_None;
    double escape, z = 0.0;
    if (check_ready(d) < 0) return NULL;
    if (!PyArg_ParseTuple(args, "nOnd|O", &n, &keys_obj, &beam, &escape, &z_obj)) return NULL;
    if (n < 0 || beam < 0) {
        PyErr_SetString(PyExc_ValueError, "negative length or beam");
        return NULL;
    }
    int normalised = z_obj != Py_None;
    if (normalised) {
        z = PyFloat_AsDouble(z_obj);
        if (z == -1.0 && PyErr_Occurred()) return NULL;
    }
    int32_t *keys = NULL;
    if (read_keys(d, keys_obj, n, &keys) < 0) return NULL;
    PyObject *result = NULL;
    Hyp *hyps = NULL;
    Py_ssize_t nhyps = 0;
    SMap *states = new_states(d, n + 1);
    SMap finished = {0};
    Trie *trie = &d->trie;
    trie_reset(trie);
    if (!states) goto done;
    if (trie_new(trie, -1, 0) < 0) { /* node 0: the empty string */
        PyErr_NoMemory();
        goto done;
    }
    if (forward(d, n, keys, beam, escape, 1, states, trie) < 0) goto done;
    /* finished hypotheses: the end unit after each history, summed per Arabic output */
    SMap *last = &states[n];
    for (Py_ssize_t s = 0; s < last->n; s++) {
        State st = last->items[s];
        Chain ch;
        chain_of(d, st.h0, st.h1, &ch);
        if (smap_add(&finished, -1, -1, st.node, st.lp + lp_chain(d, &ch, 1)) < 0) goto done;
    }
    hyps = PyMem_Malloc(sizeof(Hyp) * (finished.n ? finished.n : 1));
    if (!hyps) {
        PyErr_NoMemory();
        goto done;
    }
    for (; nhyps < finished.n; nhyps++) {
        hyps[nhyps].lp = finished.items[nhyps].lp;
        hyps[nhyps].ar = trie_string(trie, finished.items[nhyps].node);
        if (!hyps[nhyps].ar) goto done;
    }
    qsort(hyps, (size_t)nhyps, sizeof(Hyp), cmp_hyp_desc);
    result = normalised ? PyTuple_New(nhyps) : PyList_New(nhyps);
    if (!result) goto done;
    for (Py_ssize_t s = 0; s < nhyps; s++) {
        PyObject *lp = PyFloat_FromDouble(normalised ? hyps[s].lp - z : hyps[s].lp);
        PyObject *pair = !lp ? NULL : normalised ? PyTuple_Pack(2, hyps[s].ar, lp) : PyTuple_Pack(2, lp, hyps[s].ar);
        Py_XDECREF(lp);
        if (!pair) {
            Py_CLEAR(result);
            goto done;
        }
        if (normalised) PyTuple_SET_ITEM(result, s, pair);
        else PyList_SET_ITEM(result, s, pair);
    }
done:
    for (Py_ssize_t s = 0; s < nhyps; s++) Py_DECREF(hyps[s].ar);
    PyMem_Free(hyps);
    smap_free(&finished);
    shrink_states(d);
    if (trie->cap > KEEP_TRIE) trie_free(trie); /* a very long word's outputs */
    PyMem_Free(keys);
    if (!result && !PyErr_Occurred()) PyErr_NoMemory();
    return result;
}

/* The log-sum over a final lattice cell's states, each closed by the end-of-word unit (1):
   the marginal's and the pair lattice's total. */
static double closing_total(const Decoder *d, const SMap *last) {
    double total = -INFINITY;
    for (Py_ssize_t s = 0; s < last->n; s++) {
        State st = last->items[s];
        Chain ch;
        chain_of(d, st.h0, st.h1, &ch);
        total = logaddexp(total, st.lp + lp_chain(d, &ch, 1));
    }
    return total;
}

static PyObject *Decoder_marginal(Decoder *d, PyObject *args) {
    Py_ssize_t n, beam;
    PyObject *keys_obj;
    double escape;
    if (check_ready(d) < 0) return NULL;
    if (!PyArg_ParseTuple(args, "nOnd", &n, &keys_obj, &beam, &escape)) return NULL;
    if (n < 0 || beam < 0) {
        PyErr_SetString(PyExc_ValueError, "negative length or beam");
        return NULL;
    }
    int32_t *keys = NULL;
    if (read_keys(d, keys_obj, n, &keys) < 0) return NULL;
    PyObject *result = NULL;
    SMap *states = new_states(d, n + 1);
    if (!states) goto done;
    if (forward(d, n, keys, beam, escape, 0, states, NULL) < 0) goto done;
    result = PyFloat_FromDouble(closing_total(d, &states[n]));
done:
    shrink_states(d);
    PyMem_Free(keys);
    return result;
}

/* JointNgram._joint: the pair lattice over (Latin position, Arabic position, history). */
static PyObject *Decoder_joint(Decoder *d, PyObject *args) {
    Py_ssize_t n, beam;
    PyObject *keys_obj, *arabic;
    double escape;
    int escapes;
    if (check_ready(d) < 0) return NULL;
    if (!PyArg_ParseTuple(args, "nOUndp", &n, &keys_obj, &arabic, &beam, &escape, &escapes)) return NULL;
    if (n < 0 || beam < 0) {
        PyErr_SetString(PyExc_ValueError, "negative length or beam");
        return NULL;
    }
    if (ENSURE_READY(arabic) < 0) return NULL;
    Py_ssize_t m = PyUnicode_GET_LENGTH(arabic);
    if (m + 1 > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(SMap) / (n + 1)) {
        PyErr_SetString(PyExc_OverflowError, "joint: the lattice of the pair is too large");
        return NULL;
    }
    int32_t *keys = NULL;
    if (read_keys(d, keys_obj, n, &keys) < 0) return NULL;
    PyObject *result = NULL;
    Py_ssize_t ncells = (n + 1) * (m + 1);
    SMap *cells = new_states(d, ncells);
    uint64_t *chunk = PyMem_Malloc(sizeof(uint64_t) * (m + 1) * (MAX_ARABIC + 1));
    int32_t *step = PyMem_Malloc(sizeof(int32_t) * (MAX_LATIN * (MAX_ARABIC + 1)));
    Chain *chains = NULL;
    if (!cells || !chunk || !step) {
        PyErr_NoMemory();
        goto done;
    }
    /* the Arabic chunk of each (position, length), packed as the units' chunks are */
    for (Py_ssize_t j = 0; j <= m; j++)
        for (int l = 0; l <= MAX_ARABIC; l++) {
            uint64_t packed = (uint64_t)l;
            if (j + l > m) {
                chunk[j * (MAX_ARABIC + 1) + l] = UINT64_MAX - 1;
                continue;
            }
            for (int c = 0; c < l; c++) packed |= (uint64_t)PyUnicode_READ_CHAR(arabic, j + c) << (4 + 21 * c);
            chunk[j * (MAX_ARABIC + 1) + l] = packed;
        }
    int32_t h0, h1;
    start_hist(d, &h0, &h1);
    if (smap_add(&cells[0], h0, h1, 0, 0.0) < 0) goto done;
    Py_ssize_t chains_cap = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        for (Py_ssize_t j = 0; j <= m; j++) {
            SMap *cur = &cells[i * (m + 1) + j];
            if (cur->n == 0) continue;
            if (smap_prune(cur, beam) < 0) goto done;
            /* the unit of each (k, l) step from here, or -1 */
            int lmax = (int)(m - j < MAX_ARABIC ? m - j : MAX_ARABIC);
            int any = 0;
            for (int k = 1; k <= MAX_LATIN; k++)
                for (int l = 0; l <= MAX_ARABIC; l++) {
                    int32_t u = -1;
                    int32_t key = i + k <= n ? keys[i * MAX_LATIN + (k - 1)] : -1;
                    if (key >= 0 && l <= lmax) {
                        uint64_t want = chunk[j * (MAX_ARABIC + 1) + l];
                        for (int32_t t = d->kunit_off[key]; t < d->kunit_off[key + 1]; t++)
                            if (d->ar_packed[d->kunit[t]] == want) {
                                u = d->kunit[t];
                                break;
                            }
                    }
                    step[(k - 1) * (MAX_ARABIC + 1) + l] = u;
                    any |= u >= 0;
                }
            if (any) {
                if (cur->n > chains_cap) {
                    PyMem_Free(chains);
                    chains_cap = cur->n;
                    chains = PyMem_Malloc(sizeof(Chain) * chains_cap);
                    if (!chains) {
                        PyErr_NoMemory();
                        goto done;
                    }
                }
                for (Py_ssize_t s = 0; s < cur->n; s++) chain_of(d, cur->items[s].h0, cur->items[s].h1, &chains[s]);
                for (int k = 1; k <= MAX_LATIN; k++)
                    for (int l = 0; l <= lmax; l++) {
                        int32_t u = step[(k - 1) * (MAX_ARABIC + 1) + l];
                        if (u < 0) continue;
                        SMap *nxt = &cells[(i + k) * (m + 1) + j + l];
                        for (Py_ssize_t s = 0; s < cur->n; s++) {
                            State st = cur->items[s];
                            int32_t n0, n1;
                            next_hist(d, st.h0, st.h1, u, &n0, &n1);
                            if (smap_add(nxt, n0, n1, 0, st.lp + lp_chain(d, &chains[s], u)) < 0) goto done;
                        }
                    }
            }
            if (!escapes) continue;
            for (int e = 0; e < 2; e++) {
                Py_ssize_t di = e == 0, dj = e == 1;
                if (i + di <= n && j + dj <= m) {
                    SMap *nxt = &cells[(i + di) * (m + 1) + j + dj];
                    for (Py_ssize_t s = 0; s < cur->n; s++) {
                        State st = cur->items[s];
                        if (smap_add(nxt, st.h0, st.h1, 0, st.lp + escape) < 0) goto done;
                    }
                }
            }
        }
    }
    result = PyFloat_FromDouble(closing_total(d, &cells[n * (m + 1) + m]));
done:
    PyMem_Free(chains);
    PyMem_Free(step);
    PyMem_Free(chunk);
    shrink_states(d);
    PyMem_Free(keys);
    return result;
}

static PyObject *Decoder_stats(Decoder *d, PyObject *Py_UNUSED(ignored)) {
    return Py_BuildValue("{s:n,s:n,s:n}", "rows", d->rcount, "row_hits", d->row_hits, "row_misses", d->row_misses);
}

static PyMethodDef Decoder_methods[] = {
    {"decode", (PyCFunction)Decoder_decode, METH_VARARGS,
     "decode(n, keys, beam, escape, z=None) -> [(log P, Arabic)] best first, or given z ((Arabic, log P - z), ...)"},
    {"marginal", (PyCFunction)Decoder_marginal, METH_VARARGS, "marginal(n, keys, beam, escape) -> log P(e)"},
    {"joint", (PyCFunction)Decoder_joint, METH_VARARGS,
     "joint(n, keys, arabic, beam, escape, escapes) -> log sum over segmentations of P(e, a)"},
    {"stats", (PyCFunction)Decoder_stats, METH_NOARGS, "the row cache's size, hits and misses"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject DecoderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mtaudit.names._jointdecode.Decoder",
    .tp_basicsize = sizeof(Decoder),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The compiled searches of one JointNgram over its stored arrays.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Decoder_init,
    .tp_dealloc = (destructor)Decoder_dealloc,
    .tp_methods = Decoder_methods,
};

/* ------------------------------------------------------------------------------------ */
/* mtaudit.names.channel's weighted edit distance (_alignment), compiled.                  */
/*
 * The costs are not written here: mtaudit.names.compiled_channel reads them off the Python
 * rules (channel._indel, _sub, _DIGRAPHS, ...) for an alphabet of letters plus one class for
 * every other letter, and hands them over as tables. The dynamic programme is the Python
 * one, cell for cell: the same sums in the same order, states compared as (cost, hard
 * edits) tuples are, the row abandoned on the same test. The rounding to six places is
 * left to Python (round() is correctly rounded; printf-style rounding is not the same).
 */

#define CH_BLOCK 0x0600 /* letters of the Arabic block are looked up directly */
#define CH_STACK 64     /* words up to this long need no allocation */

typedef struct {
    PyObject_HEAD
    Py_ssize_t nalpha;    /* letters with their own costs; index nalpha: any other letter */
    Py_UCS4 *alpha;       /* the letters outside the Arabic block, searched linearly */
    int16_t block[256];   /* index of U+0600 + k, or -1 */
    double *indel;        /* nalpha + 1 */
    double *sub;          /* (nalpha + 1)^2, row: candidate letter, column: observed letter */
    double doubled, digraph, hard_at, length_step;
    Py_ssize_t ndigraphs;
    Py_UCS4 (*digraphs)[2]; /* observed pair */
    PyObject **digraph_letters; /* the letters each pair can stand for (str) */
    int ready;            /* the tables are complete: set by a successful __init__ only */
} Channel;

static void Channel_clear(Channel *c) {
    PyMem_Free(c->alpha);
    PyMem_Free(c->indel);
    PyMem_Free(c->sub);
    PyMem_Free(c->digraphs);
    if (c->digraph_letters)
        for (Py_ssize_t k = 0; k < c->ndigraphs; k++) Py_XDECREF(c->digraph_letters[k]);
    PyMem_Free(c->digraph_letters);
    c->alpha = NULL, c->indel = c->sub = NULL, c->digraphs = NULL, c->digraph_letters = NULL;
    c->nalpha = c->ndigraphs = 0;
    c->ready = 0;
}

static void Channel_dealloc(Channel *c) {
    Channel_clear(c);
    Py_TYPE(c)->tp_free((PyObject *)c);
}

static inline Py_ssize_t ch_index(const Channel *c, Py_UCS4 ch) {
    if (ch >= CH_BLOCK && ch < CH_BLOCK + 256) {
        int16_t k = c->block[ch - CH_BLOCK];
        return k < 0 ? c->nalpha : k;
    }
    for (Py_ssize_t k = 0; k < c->nalpha; k++)
        if (c->alpha[k] == ch) return k;
    return c->nalpha;
}

static int read_doubles(PyObject *seq, Py_ssize_t n, double **out, const char *what) {
    PyObject *fast = PySequence_Fast(seq, what);
    if (!fast) return -1;
    if (PySequence_Fast_GET_SIZE(fast) != n) {
        PyErr_Format(PyExc_ValueError, "%s: %zd values expected", what, n);
        Py_DECREF(fast);
        return -1;
    }
    *out = PyMem_Malloc(sizeof(double) * (n ? n : 1));
    if (!*out) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        (*out)[k] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(fast, k));
        if ((*out)[k] == -1.0 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

/* Channel(alphabet, indel, sub, doubled, digraph, hard_at, digraphs): alphabet a str of
   distinct letters; indel its letters' insertion/deletion costs and then any other
   letter's; sub the substitution costs, row by row over the same len(alphabet) + 1 classes
   (candidate letter, observed letter; two different other letters cost the last cell);
   digraphs a list of (observed pair, the letters it stands for); length_step the least cost
   of a letter of length difference (the bound's first test). */
static int Channel_fill(Channel *c, PyObject *args);

static int Channel_init(Channel *c, PyObject *args, PyObject *kwds) {
    (void)kwds;
    Channel_clear(c);
    if (Channel_fill(c, args) < 0) {
        Channel_clear(c); /* half-built tables are never used: align refuses until ready */
        return -1;
    }
    c->ready = 1;
    return 0;
}

static int Channel_fill(Channel *c, PyObject *args) {
    PyObject *alphabet, *indel, *sub, *digraphs;
    double doubled, digraph, hard_at, length_step;
    if (!PyArg_ParseTuple(args, "UOOdddOd", &alphabet, &indel, &sub, &doubled, &digraph, &hard_at, &digraphs, &length_step))
        return -1;
    if (ENSURE_READY(alphabet) < 0) return -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(alphabet);
    if (n > 0x7000) {
        PyErr_SetString(PyExc_ValueError, "alphabet too large");
        return -1;
    }
    c->alpha = PyMem_Malloc(sizeof(Py_UCS4) * (n ? n : 1));
    if (!c->alpha) {
        PyErr_NoMemory();
        return -1;
    }
    for (int k = 0; k < 256; k++) c->block[k] = -1;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(alphabet, k);
        c->alpha[k] = ch;
        if (ch >= CH_BLOCK && ch < CH_BLOCK + 256) c->block[ch - CH_BLOCK] = (int16_t)k;
    }
    c->nalpha = n;
    if (read_doubles(indel, n + 1, &c->indel, "indel") < 0) return -1;
    if (read_doubles(sub, (n + 1) * (n + 1), &c->sub, "sub") < 0) return -1;
    c->doubled = doubled, c->digraph = digraph, c->hard_at = hard_at, c->length_step = length_step;
    PyObject *fast = PySequence_Fast(digraphs, "digraphs");
    if (!fast) return -1;
    Py_ssize_t nd = PySequence_Fast_GET_SIZE(fast);
    c->digraphs = PyMem_Malloc(sizeof(Py_UCS4[2]) * (nd ? nd : 1));
    c->digraph_letters = PyMem_Calloc(nd ? nd : 1, sizeof(PyObject *));
    if (!c->digraphs || !c->digraph_letters) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < nd; k++) {
        PyObject *pair, *letters;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, k), "UU", &pair, &letters)) {
            Py_DECREF(fast);
            return -1;
        }
        if (ENSURE_READY(pair) < 0 || ENSURE_READY(letters) < 0) {
            Py_DECREF(fast);
            return -1;
        }
        if (PyUnicode_GET_LENGTH(pair) != 2) {
            PyErr_SetString(PyExc_ValueError, "a digraph is two letters");
            Py_DECREF(fast);
            return -1;
        }
        c->digraphs[k][0] = PyUnicode_READ_CHAR(pair, 0);
        c->digraphs[k][1] = PyUnicode_READ_CHAR(pair, 1);
        Py_INCREF(letters);
        c->digraph_letters[k] = letters;
        c->ndigraphs = k + 1;
    }
    Py_DECREF(fast);
    return 0;
}

static int ch_in(PyObject *letters, Py_UCS4 ch) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(letters);
    for (Py_ssize_t k = 0; k < n; k++)
        if (PyUnicode_READ_CHAR(letters, k) == ch) return 1;
    return 0;
}

/* (cost, hard) states: x < best as Python compares the tuples */
#define CH_LESS(xc, xh, bc, bh) ((xc) < (bc) || ((xc) == (bc) && (xh) < (bh)))

/* align(observed, candidate, bound=None) -> (cost, hard edits) unrounded, or None when a
   whole row, or the length difference times length_step, costs more than bound + 1e-6
   (channel._alignment without its rounding, which the caller does) */
static PyObject *Channel_align(Channel *c, PyObject *args) {
    PyObject *obs, *cand, *bound_obj = Py_None;
    if (!PyArg_ParseTuple(args, "UU|O", &obs, &cand, &bound_obj)) return NULL;
    if (!c->ready) {
        PyErr_SetString(PyExc_RuntimeError, "Channel: not initialised (or its __init__ failed)");
        return NULL;
    }
    int bounded = bound_obj != Py_None;
    double limit = 0.0;
    if (bounded) {
        double bound = PyFloat_AsDouble(bound_obj);
        if (bound == -1.0 && PyErr_Occurred()) return NULL;
        limit = bound + 1e-6;
    }
    if (ENSURE_READY(obs) < 0 || ENSURE_READY(cand) < 0) return NULL;
    Py_ssize_t m = PyUnicode_GET_LENGTH(obs), n = PyUnicode_GET_LENGTH(cand);
    if (bounded && c->length_step * (double)(m > n ? m - n : n - m) > limit) Py_RETURN_NONE;
    /* scratch, on the stack for words of ordinary length: per observed letter its code
       point, class, hard insertion flag and the digraph ending there, per candidate letter
       its code point and class, two rows of hard-edit counts; and the insertion costs and
       two rows of costs */
    Py_ssize_t stack_ints[CH_STACK * 8];
    double stack_doubles[CH_STACK * 3];
    Py_ssize_t *ints = stack_ints;
    double *doubles = stack_doubles;
    if (m >= CH_STACK || n >= CH_STACK) {
        ints = PyMem_Malloc(sizeof(Py_ssize_t) * ((m + 1) * 6 + (n + 1) * 2));
        doubles = PyMem_Malloc(sizeof(double) * (m + 1) * 3);
        if (!ints || !doubles) {
            if (ints != stack_ints) PyMem_Free(ints);
            if (doubles != stack_doubles) PyMem_Free(doubles);
            return PyErr_NoMemory();
        }
    }
    Py_ssize_t *ocode = ints, *ocls = ints + (m + 1), *odig = ints + 2 * (m + 1), *ohard = ints + 3 * (m + 1);
    Py_ssize_t *prev_h = ints + 4 * (m + 1), *cur_h = ints + 5 * (m + 1);
    Py_ssize_t *ccode = ints + 6 * (m + 1), *ccls = ccode + (n + 1);
    double *ins = doubles, *prev_c = doubles + (m + 1), *cur_c = doubles + 2 * (m + 1);
    PyObject *result = NULL;
    for (Py_ssize_t j = 0; j < m; j++) {
        ocode[j] = PyUnicode_READ_CHAR(obs, j);
        ocls[j] = ch_index(c, (Py_UCS4)ocode[j]);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        ccode[i] = PyUnicode_READ_CHAR(cand, i);
        ccls[i] = ch_index(c, (Py_UCS4)ccode[i]);
    }
    /* odig[j]: the digraph (index) the observed pair ending at j (1-based) is, or -1 */
    for (Py_ssize_t j = 0; j <= m; j++) {
        odig[j] = -1;
        if (j >= 2)
            for (Py_ssize_t k = 0; k < c->ndigraphs; k++)
                if (c->digraphs[k][0] == (Py_UCS4)ocode[j - 2] && c->digraphs[k][1] == (Py_UCS4)ocode[j - 1]) {
                    odig[j] = k;
                    break;
                }
    }
    for (Py_ssize_t j = 0; j < m; j++) {
        ins[j] = j > 0 && ocode[j] == ocode[j - 1] ? c->doubled : c->indel[ocls[j]];
        ohard[j] = ins[j] >= c->hard_at;
    }
    prev_c[0] = 0.0, prev_h[0] = 0;
    for (Py_ssize_t j = 1; j <= m; j++) {
        double d = c->indel[ocls[j - 1]];
        prev_c[j] = prev_c[j - 1] + d;
        prev_h[j] = prev_h[j - 1] + (d >= c->hard_at);
    }
    Py_ssize_t na = c->nalpha + 1;
    for (Py_ssize_t i = 1; i <= n; i++) {
        Py_ssize_t ci = ccls[i - 1];
        Py_UCS4 cc = (Py_UCS4)ccode[i - 1];
        double dl = c->indel[ci];
        Py_ssize_t dl_hard = dl >= c->hard_at;
        const double *subrow = c->sub + ci * na;
        cur_c[0] = prev_c[0] + dl, cur_h[0] = prev_h[0] + dl_hard;
        double row_min = cur_c[0];
        for (Py_ssize_t j = 1; j <= m; j++) {
            double bc = prev_c[j] + dl;
            Py_ssize_t bh = prev_h[j] + dl_hard;
            double xc = cur_c[j - 1] + ins[j - 1];
            Py_ssize_t xh = cur_h[j - 1] + ohard[j - 1];
            if (CH_LESS(xc, xh, bc, bh)) bc = xc, bh = xh;
            double sc = (Py_UCS4)ocode[j - 1] == cc ? 0.0 : subrow[ocls[j - 1]];
            xc = prev_c[j - 1] + sc;
            xh = prev_h[j - 1] + (sc >= c->hard_at);
            if (CH_LESS(xc, xh, bc, bh)) bc = xc, bh = xh;
            if (odig[j] >= 0 && ch_in(c->digraph_letters[odig[j]], cc)) {
                xc = prev_c[j - 2] + c->digraph;
                xh = prev_h[j - 2];
                if (CH_LESS(xc, xh, bc, bh)) bc = xc, bh = xh;
            }
            cur_c[j] = bc, cur_h[j] = bh;
            if (bc < row_min) row_min = bc;
        }
        double *tc = prev_c;
        prev_c = cur_c, cur_c = tc;
        Py_ssize_t *th = prev_h;
        prev_h = cur_h, cur_h = th;
        if (bounded && row_min > limit) {
            result = Py_None;
            Py_INCREF(result);
            goto done;
        }
    }
    result = Py_BuildValue("(dn)", prev_c[m], prev_h[m]);
done:
    if (ints != stack_ints) PyMem_Free(ints);
    if (doubles != stack_doubles) PyMem_Free(doubles);
    return result;
}

static PyMethodDef Channel_methods[] = {
    {"align", (PyCFunction)Channel_align, METH_VARARGS,
     "align(observed, candidate, bound=None) -> (cost, hard edits) unrounded, or None above bound"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ChannelType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mtaudit.names._jointdecode.Channel",
    .tp_basicsize = sizeof(Channel),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "mtaudit.names.channel's weighted edit distance over cost tables read off its rules.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Channel_init,
    .tp_dealloc = (destructor)Channel_dealloc,
    .tp_methods = Channel_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_jointdecode", "Compiled searches of the transliteration model's joint n-grams.", -1, NULL,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__jointdecode(void) {
    if (PyType_Ready(&DecoderType) < 0 || PyType_Ready(&ChannelType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&DecoderType);
    if (PyModule_AddObject(m, "Decoder", (PyObject *)&DecoderType) < 0) {
        Py_DECREF(&DecoderType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&ChannelType);
    if (PyModule_AddObject(m, "Channel", (PyObject *)&ChannelType) < 0) {
        Py_DECREF(&ChannelType);
        Py_DECREF(m);
        return NULL;
    }
    /* the SHA-1 of this file as compiled (hatch_build.py passes it; "" when built by hand) */
    if (PyModule_AddStringConstant(m, "SOURCE_SHA1", JOINTDECODE_SOURCE_SHA1) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
