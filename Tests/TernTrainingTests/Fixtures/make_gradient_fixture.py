#!/usr/bin/env python3
"""Generate reference loss/gradient fixtures for the Swift Transformer trainer.

Two architectures are produced, each in its own directory next to this script:

  encdec/     Hugging Face ``MarianMTModel`` (encoder-decoder, tied embeddings,
              ``final_logits_bias`` made a trainable parameter).
  prefix-lm/  Decoder-only "prefix LM": the Marian decoder layer stack without
              cross-attention over ``[source ; <sep> ; target]`` with a
              bidirectional prefix / causal target mask.

Each directory holds:

  config.json           HF-style config
  model.safetensors     initial float32 parameters (HF Marian tensor names)
  gradients.safetensors float32 gradients of the loss, same names
  outputs.safetensors   float32 logits [B,T,V] and per-token smoothed CE [B,T]
  batch.json            ids (unpadded + padded), masks, loss definition, loss value, versions

The reference computation is done in float64 on weights that were initialised
in float32 (the float32 weights saved are exactly the ones used, cast exactly
to float64).  See README.md for the full definition.

Regenerate (from the repository root):

    python3 Tests/TernTrainingTests/Fixtures/make_gradient_fixture.py
"""

import copy
import json
import math
import os
import platform
import re
import sys
import tempfile

import numpy as np
import safetensors
import torch
import torch.nn as nn
import torch.nn.functional as F
import transformers
from safetensors.torch import load_file, save_file
from transformers import MarianConfig, MarianForCausalLM, MarianMTModel
from transformers.models.marian.modeling_marian import (
    MarianDecoderLayer,
    MarianSinusoidalPositionalEmbedding,
    shift_tokens_right,
)

HERE = os.path.dirname(os.path.abspath(__file__))

# ----------------------------------------------------------------------------
# Hyper-parameters
# ----------------------------------------------------------------------------
V = 30
D_MODEL = 8
ENC_LAYERS = 2
DEC_LAYERS = 2
HEADS = 2
FFN = 16
MAX_POS = 32
PAD = 29  # also the decoder start token
EOS = 0
SEP = 2
IGNORE = -100
LABEL_SMOOTHING = 0.1

SEED_ENCDEC = 1234
SEED_PREFIX = 5678
INIT_STD = 0.3
LN_STD = 0.1

# Sentence pairs (content tokens only; never 0=eos, 2=sep, 29=pad).
# encdec source = content + [eos]  (lengths 4, 6, 3)
# target        = content + [eos]  (lengths 6, 3, 5)
# prefix-lm sequence = source content (no eos) + [sep] + target (with eos)
#                      (lengths 10, 9, 8 -> right padding is exercised)
SRC_CONTENT = [
    [5, 9, 13],
    [7, 3, 21, 11, 17],
    [24, 8],
]
TGT_CONTENT = [
    [12, 6, 19, 4, 25],
    [27, 15],
    [10, 22, 3, 14],
]

torch.set_num_threads(1)


def versions():
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "safetensors": safetensors.__version__,
        "numpy": np.__version__,
    }


def marian_config(encoder_layers):
    cfg = MarianConfig(
        vocab_size=V,
        decoder_vocab_size=V,
        d_model=D_MODEL,
        encoder_layers=encoder_layers,
        decoder_layers=DEC_LAYERS,
        encoder_attention_heads=HEADS,
        decoder_attention_heads=HEADS,
        encoder_ffn_dim=FFN,
        decoder_ffn_dim=FFN,
        max_position_embeddings=MAX_POS,
        activation_function="swish",
        scale_embedding=True,
        pad_token_id=PAD,
        eos_token_id=EOS,
        decoder_start_token_id=PAD,
        forced_eos_token_id=EOS,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
    )
    cfg._attn_implementation = "eager"  # plain matmul/softmax path, mirrors the math exactly
    return cfg


# ----------------------------------------------------------------------------
# Initialisation
# ----------------------------------------------------------------------------
def init_parameters(model, seed):
    """Normal(0, 0.3) for every trainable tensor (linear weights+biases, shared
    embedding, final_logits_bias); LayerNorm gamma 1+N(0,0.1), beta N(0,0.1);
    pad row of the shared embedding zero.  Done in float32 with a seeded
    generator, iterating the (de-duplicated) named_parameters in order."""
    gen = torch.Generator().manual_seed(seed)
    ln_w, ln_b = set(), set()
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            ln_w.add(id(m.weight))
            ln_b.add(id(m.bias))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "embed_positions" in name:
                continue  # fixed sinusoidal table, not trained
            assert p.dtype == torch.float32
            noise = torch.randn(p.shape, generator=gen, dtype=torch.float32)
            if id(p) in ln_w:
                p.copy_(1.0 + LN_STD * noise)
            elif id(p) in ln_b:
                p.copy_(LN_STD * noise)
            else:
                p.copy_(INIT_STD * noise)
    return model


def make_final_logits_bias_trainable(model):
    """HF registers final_logits_bias as a (non-trainable) buffer; replace it by an
    nn.Parameter of the same name/shape so MarianMTModel.forward's
    ``lm_head(h) + self.final_logits_bias`` uses (and differentiates) it."""
    old = model.final_logits_bias
    del model.final_logits_bias  # removes it from model._buffers
    model.final_logits_bias = nn.Parameter(torch.zeros_like(old))
    assert "final_logits_bias" not in dict(model.named_buffers())
    assert "final_logits_bias" in dict(model.named_parameters())


# ----------------------------------------------------------------------------
# Loss
# ----------------------------------------------------------------------------
def smoothed_ce(logits, labels, eps):
    """sum over non-ignored tokens of torch CE with label smoothing, / num tokens."""
    n = int((labels != IGNORE).sum())
    s = F.cross_entropy(
        logits.reshape(-1, logits.shape[-1]),
        labels.reshape(-1),
        label_smoothing=eps,
        ignore_index=IGNORE,
        reduction="sum",
    )
    return s / n, n


def per_token_loss_manual(logits, labels, eps):
    """(1-eps) * (-log p[y]) + eps * mean_c(-log p[c]) per position, 0 where ignored."""
    logp = F.log_softmax(logits, dim=-1)
    valid = labels != IGNORE
    safe = labels.clamp(min=0)
    nll = -logp.gather(-1, safe.unsqueeze(-1)).squeeze(-1)
    smooth = -logp.mean(dim=-1)
    tok = (1.0 - eps) * nll + eps * smooth
    return torch.where(valid, tok, torch.zeros_like(tok))


def pad_to(seqs, value):
    n = max(len(s) for s in seqs)
    return [list(s) + [value] * (n - len(s)) for s in seqs]


def fd_check(loss_fn, named_params, picks, h=1e-6, rtol=1e-6, atol=1e-9):
    """Central finite differences (float64) on a few scalar entries.

    The pad row of model.shared.weight is deliberately not checked: perturbing it also
    changes the looked-up <pad> input embeddings, whose gradient HF's padding_idx
    suppresses, so finite differences and autograd legitimately disagree there."""
    for name, idx in picks:
        p = named_params[name]
        analytic = p.grad[idx].item()
        with torch.no_grad():
            orig = p[idx].item()
            p[idx] = orig + h
            lp = loss_fn().item()
            p[idx] = orig - h
            lm = loss_fn().item()
            p[idx] = orig
        numeric = (lp - lm) / (2 * h)
        assert abs(numeric - analytic) <= atol + rtol * abs(analytic), (name, idx, numeric, analytic)


def snap_structural_zeros(grads):
    """k_proj biases add the same q.b_k to every key score of a query, which softmax
    ignores: their gradient is exactly zero analytically.  autograd leaves ~1e-17
    round-off there; store exact zeros (after checking) so comparisons are well posed."""
    zeroed = []
    for n, g in grads.items():
        if n.endswith("k_proj.bias"):
            assert g.norm().item() < 1e-12, (n, g.norm().item())
            g.zero_()
            zeroed.append(n)
    return sorted(zeroed)


def float32_agreement(m32, run, labels, names, ref_loss, ref_grads):
    """Run the same batch with the float32 weights in float32 torch and measure how far it
    lands from the float64 reference: max |g32 - g64| / max|g64| per tensor (worst over
    tensors, structural zeros skipped) and the loss relative error.  Guards that the
    fixture is reproducible by a float32 implementation at ~1e-4 tolerance."""
    m = copy.deepcopy(m32).eval()
    m.zero_grad(set_to_none=True)
    loss, _ = smoothed_ce(run(m), labels, LABEL_SMOOTHING)
    loss.backward()
    params = dict(m.named_parameters(remove_duplicate=False))
    worst = 0.0
    for n in names:
        if n.endswith("k_proj.bias"):
            continue
        g32 = params[n].grad.double()
        g64 = ref_grads[n]
        worst = max(worst, ((g32 - g64).abs().max() / g64.abs().max()).item())
    loss_rel = abs(loss.item() - ref_loss) / abs(ref_loss)
    assert worst < 1e-5 and loss_rel < 1e-5, (worst, loss_rel)
    return {"grad_max_abs_err_over_tensor_absmax": worst, "loss_rel_err": loss_rel}


def check_size(path):
    size = os.path.getsize(path)
    assert size < 100 * 1024, (path, size)


def save_tensors(tensors, path):
    save_file(to_f32_dict(tensors), path)
    os.chmod(path, 0o644)


def to_f32_dict(d):
    return {k: v.detach().to(torch.float32).contiguous().clone() for k, v in d.items()}


def write_json(path, obj):
    text = json.dumps(obj, indent=1)
    # Put innermost lists of integers on one line (keeps the files readable).
    text = re.sub(r"\[\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    assert json.loads(text) == obj
    with open(path, "w") as f:
        f.write(text + "\n")


LOSS_DEFINITION = (
    "loss = F.cross_entropy(logits.view(-1, V), labels.view(-1), label_smoothing=0.1, "
    "ignore_index=-100, reduction='sum') / num_target_tokens; per non-ignored position: "
    "(1-eps)*(-log p[label]) + eps*(1/V)*sum_c(-log p[c]) (uniform smoothing over all V=30 classes, pad class included)"
)
NORMALISATION = "sum over all non-ignored target tokens of the batch, divided by num_target_tokens (token-level mean over the whole batch)"


# ----------------------------------------------------------------------------
# Encoder-decoder (MarianMTModel)
# ----------------------------------------------------------------------------
def build_encdec():
    out_dir = os.path.join(HERE, "encdec")
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(SEED_ENCDEC)
    cfg = marian_config(ENC_LAYERS)
    m32 = MarianMTModel(cfg).eval()
    make_final_logits_bias_trainable(m32)
    init_parameters(m32, SEED_ENCDEC)

    # Tying sanity: one shared matrix for encoder/decoder embeddings and lm_head.
    shared = m32.model.shared.weight
    assert m32.model.encoder.embed_tokens.weight is shared
    assert m32.model.decoder.embed_tokens.weight is shared
    assert m32.lm_head.weight is shared
    assert m32.model.shared.padding_idx == PAD
    with torch.no_grad():
        shared[PAD].zero_()
    # Positions are HF's fixed sinusoidal table, not trainable.
    for pe in (m32.model.encoder.embed_positions, m32.model.decoder.embed_positions):
        assert not pe.weight.requires_grad
        assert torch.equal(pe.weight, pe.create_weight())

    # Names exactly as HF's save_pretrained writes them.
    with tempfile.TemporaryDirectory() as td:
        m32.save_pretrained(td)
        hf_saved = load_file(os.path.join(td, "model.safetensors"))
    names = sorted(hf_saved.keys())
    sd32 = m32.state_dict()
    for n in names:
        assert torch.equal(hf_saved[n], sd32[n]), n
    assert "final_logits_bias" in names and "model.shared.weight" in names
    assert not any("embed_positions" in n or n.startswith("lm_head") or "embed_tokens" in n for n in names)
    weights32 = {n: sd32[n].clone() for n in names}

    # Batch.
    sources = [s + [EOS] for s in SRC_CONTENT]
    targets = [t + [EOS] for t in TGT_CONTENT]
    input_ids = torch.tensor(pad_to(sources, PAD))
    attention_mask = torch.tensor(pad_to([[1] * len(s) for s in sources], 0))
    labels = torch.tensor(pad_to(targets, IGNORE))
    dec_in_lists = [[PAD] + t[:-1] for t in targets]
    decoder_input_ids = torch.tensor(pad_to(dec_in_lists, PAD))
    decoder_attention_mask = torch.tensor(pad_to([[1] * len(t) for t in targets], 0))
    # Teacher forcing convention == HF's shift_tokens_right(labels) on every position
    # that carries a label (HF writes the final eos into the first padded slot; that
    # slot has label -100 and is causally invisible to labelled positions).
    hf_shift = shift_tokens_right(labels, PAD, PAD)
    lab = labels != IGNORE
    assert torch.equal(decoder_input_ids[lab], hf_shift[lab])

    # float64 reference.
    m64 = copy.deepcopy(m32).double().eval()
    assert m64.lm_head.weight is m64.model.shared.weight
    for n in names:
        assert torch.equal(m64.state_dict()[n], weights32[n].double()), n
    named64 = dict(m64.named_parameters(remove_duplicate=False))

    def forward(src=input_ids, src_mask=attention_mask, dec=decoder_input_ids, dec_mask=decoder_attention_mask):
        return m64(
            input_ids=src,
            attention_mask=src_mask,
            decoder_input_ids=dec,
            decoder_attention_mask=dec_mask,
            use_cache=False,
        ).logits

    m64.zero_grad(set_to_none=True)
    logits = forward()
    loss, ntok = smoothed_ce(logits, labels, LABEL_SMOOTHING)
    assert ntok == sum(len(t) for t in targets)
    tok_loss = per_token_loss_manual(logits.detach(), labels, LABEL_SMOOTHING)
    assert abs(tok_loss.sum().item() / ntok - loss.item()) < 1e-12
    loss.backward()

    # --- Sanity 7: eps=0 loss == HF's own loss (mean CE over non-ignored tokens).
    with torch.no_grad():
        loss0, _ = smoothed_ce(logits.detach(), labels, 0.0)
        hf = m64(input_ids=input_ids, attention_mask=attention_mask, labels=labels, use_cache=False)
        assert abs(hf.loss.item() - loss0.item()) < 1e-9, (hf.loss.item(), loss0.item())
        # Decoder key-padding mask is irrelevant for non-pad positions (right padding + causal).
        assert torch.allclose(hf.logits[labels != IGNORE], logits.detach()[labels != IGNORE], rtol=0, atol=1e-12)
        # Padding invariance: sentence-by-sentence (no padding) sums equal the batched sum.
        total = 0.0
        for s, t in zip(sources, targets):
            lg = forward(torch.tensor([s]), torch.ones(1, len(s), dtype=torch.long),
                         torch.tensor([[PAD] + t[:-1]]), torch.ones(1, len(t), dtype=torch.long))
            total += F.cross_entropy(lg[0], torch.tensor(t), label_smoothing=LABEL_SMOOTHING, reduction="sum").item()
        assert abs(total / ntok - loss.item()) < 1e-12

    # Gradients.
    for n, p in m64.named_parameters():
        if "embed_positions" in n:
            assert p.grad is None
    grads = {}
    for n in names:
        g = named64[n].grad
        assert g is not None, n
        grads[n] = g.detach().clone()

    # Finite-difference spot check (before zeroing the pad row).
    def loss_fn():
        with torch.no_grad():
            return smoothed_ce(forward(), labels, LABEL_SMOOTHING)[0]

    picks = [
        ("model.shared.weight", (5, 3)),
        ("model.shared.weight", (12, 0)),
        ("final_logits_bias", (0, 7)),
        ("final_logits_bias", (0, PAD)),
        ("model.encoder.layers.0.self_attn.q_proj.bias", (1,)),
        ("model.encoder.layers.1.fc1.weight", (3, 4)),
        ("model.decoder.layers.0.encoder_attn.k_proj.weight", (2, 6)),
        ("model.decoder.layers.1.self_attn.v_proj.bias", (5,)),
        ("model.decoder.layers.1.final_layer_norm.weight", (0,)),
        ("model.decoder.layers.0.encoder_attn_layer_norm.bias", (7,)),
    ]
    fd_check(loss_fn, named64, picks)

    # Pad row: the Swift trainer zeroes it (HF padding_idx semantics for the tied matrix).
    f32 = float32_agreement(
        m32,
        lambda m: m(input_ids=input_ids, attention_mask=attention_mask, decoder_input_ids=decoder_input_ids,
                    decoder_attention_mask=decoder_attention_mask, use_cache=False).logits,
        labels, names, loss.item(), grads)
    structural_zeros = snap_structural_zeros(grads)
    raw_pad_norm = grads["model.shared.weight"][PAD].norm().item()
    grads["model.shared.weight"][PAD].zero_()
    assert torch.count_nonzero(grads["model.shared.weight"][PAD]) == 0

    # Write files.
    save_tensors(weights32, os.path.join(out_dir, "model.safetensors"))
    save_tensors(grads, os.path.join(out_dir, "gradients.safetensors"))
    save_tensors({"logits": logits.detach(), "token_loss": tok_loss}, os.path.join(out_dir, "outputs.safetensors"))
    config = {
        "architectures": ["MarianMTModel"],
        "model_type": "marian",
        "vocab_size": V,
        "decoder_vocab_size": V,
        "d_model": D_MODEL,
        "encoder_layers": ENC_LAYERS,
        "decoder_layers": DEC_LAYERS,
        "encoder_attention_heads": HEADS,
        "decoder_attention_heads": HEADS,
        "encoder_ffn_dim": FFN,
        "decoder_ffn_dim": FFN,
        "max_position_embeddings": MAX_POS,
        "activation_function": "swish",
        "scale_embedding": True,
        "pad_token_id": PAD,
        "eos_token_id": EOS,
        "decoder_start_token_id": PAD,
        "forced_eos_token_id": EOS,
        "share_encoder_decoder_embeddings": True,
        "tie_word_embeddings": True,
        "is_encoder_decoder": True,
        "dropout": 0.0,
        "attention_dropout": 0.0,
        "activation_dropout": 0.0,
        "encoder_layerdrop": 0.0,
        "decoder_layerdrop": 0.0,
    }
    write_json(os.path.join(out_dir, "config.json"), config)

    # The directory must load back into HF's MarianMTModel with these exact names.
    reloaded, info = MarianMTModel.from_pretrained(out_dir, output_loading_info=True)
    missing = [k for k in info["missing_keys"] if "embed_positions" not in k]
    assert not missing and not info["unexpected_keys"], info
    rsd = reloaded.state_dict()
    for n in names:
        assert torch.equal(rsd[n], weights32[n]), n

    batch = {
        "architecture": "encdec",
        "description": "One teacher-forced MarianMTModel batch; float64 reference on float32-initialised weights.",
        "sources": sources,
        "targets": targets,
        "padded": {
            "input_ids": input_ids.tolist(),
            "attention_mask": attention_mask.tolist(),
            "decoder_input_ids": decoder_input_ids.tolist(),
            "decoder_attention_mask": decoder_attention_mask.tolist(),
            "labels": labels.tolist(),
        },
        "teacher_forcing": "decoder_input_ids = [29] + target[:-1], right-padded with 29 (equals HF shift_tokens_right(labels) on all labelled positions; HF would put the final eos in the first padded slot, which is irrelevant to the loss); labels = target right-padded with -100",
        "masks": "encoder self-attn and cross-attn: key padding from attention_mask (additive finfo.min); decoder self-attn: causal (key j <= query i) plus key padding from decoder_attention_mask",
        "positions": "0..T-1 for encoder and decoder separately, HF MarianSinusoidalPositionalEmbedding ([sin | cos] halves)",
        "label_smoothing": LABEL_SMOOTHING,
        "ignore_index": IGNORE,
        "loss_definition": LOSS_DEFINITION,
        "normalisation": NORMALISATION,
        "num_target_tokens": ntok,
        "loss": loss.item(),
        "loss_no_label_smoothing": loss0.item(),
        "hf_loss_no_label_smoothing": hf.loss.item(),
        "pad_row_gradient": "model.shared.weight row 29 gradient zeroed before storing (the Swift trainer does the same); final_logits_bias[29] gradient is kept",
        "raw_pad_row_grad_norm": raw_pad_norm,
        "structurally_zero_gradients": structural_zeros,
        "float32_torch_agreement": f32,
        "structurally_zero_note": "k_proj.bias gradients are exactly 0 analytically (softmax shift invariance); autograd round-off (<1e-12) replaced by exact 0",
        "final_logits_bias": "trainable nn.Parameter (HF: buffer); shape [1, V]",
        "init": {
            "seed": SEED_ENCDEC,
            "linear_weights_biases_embedding_final_logits_bias": "N(0, 0.3)",
            "layer_norm_weight": "1 + N(0, 0.1)",
            "layer_norm_bias": "N(0, 0.1)",
            "pad_row": "shared.weight[29] = 0",
            "dtype": "initialised in float32 (saved as-is), cast exactly to float64 for the reference",
        },
        "outputs_safetensors": "logits [B, T, V] (float64 result rounded to float32); token_loss [B, T] = per-position smoothed CE (0 where ignored), unnormalised",
        "versions": versions(),
    }
    write_json(os.path.join(out_dir, "batch.json"), batch)
    for f in os.listdir(out_dir):
        check_size(os.path.join(out_dir, f))
    return loss.item(), raw_pad_norm, names


# ----------------------------------------------------------------------------
# Decoder-only prefix LM
# ----------------------------------------------------------------------------
class TernPrefixLM(nn.Module):
    """Marian decoder stack without cross-attention, tied output layer + final_logits_bias.

    Parameter names: model.shared.weight, model.decoder.layers.N.*, final_logits_bias
    (model.decoder.embed_positions.weight is the fixed sinusoidal table, not saved).
    """

    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.model = nn.Module()
        self.model.shared = nn.Embedding(cfg.vocab_size, cfg.d_model, padding_idx=cfg.pad_token_id)
        self.model.decoder = nn.Module()
        self.model.decoder.embed_positions = MarianSinusoidalPositionalEmbedding(cfg.max_position_embeddings, cfg.d_model)
        with torch.no_grad():
            self.model.decoder.embed_positions.weight.copy_(self.model.decoder.embed_positions.create_weight())
        layers = []
        for i in range(cfg.decoder_layers):
            layer = MarianDecoderLayer(cfg, layer_idx=i)
            # Cross-attention is skipped when encoder_hidden_states is None; drop its tensors.
            del layer.encoder_attn
            del layer.encoder_attn_layer_norm
            layers.append(layer)
        self.model.decoder.layers = nn.ModuleList(layers)
        self.final_logits_bias = nn.Parameter(torch.zeros(1, cfg.vocab_size))
        self.embed_scale = math.sqrt(cfg.d_model) if cfg.scale_embedding else 1.0

    def forward(self, input_ids, additive_mask):
        x = self.model.shared(input_ids) * self.embed_scale
        x = x + self.model.decoder.embed_positions(input_ids.shape)  # positions 0..L-1
        for layer in self.model.decoder.layers:
            x = layer(x, attention_mask=additive_mask, encoder_hidden_states=None, cache=None, use_cache=False)
        return F.linear(x, self.model.shared.weight) + self.final_logits_bias


def prefix_allowed(lengths, prefix_lengths, L):
    """allowed[b, i, j] (query i may attend key j):
    j < len_b  and  (j < P_b  or  j <= i).
    Prefix queries (i < P_b) see exactly the P_b prefix keys; later queries see the
    prefix plus target keys up to themselves. Padded queries (i >= len_b) see all real
    keys (keeps softmax finite; their outputs never reach the loss)."""
    allowed = torch.zeros(len(lengths), L, L, dtype=torch.bool)
    for b, (n, p) in enumerate(zip(lengths, prefix_lengths)):
        for i in range(L):
            for j in range(L):
                allowed[b, i, j] = j < n and (j < p or j <= i)
    return allowed


def additive(allowed, dtype):
    m = torch.zeros(allowed.shape, dtype=dtype)
    m.masked_fill_(~allowed, torch.finfo(dtype).min)
    return m[:, None, :, :]  # [B, 1, L, L]


def prefix_labels(seqs, prefix_lengths, L):
    labels = torch.full((len(seqs), L), IGNORE, dtype=torch.long)
    for b, (s, p) in enumerate(zip(seqs, prefix_lengths)):
        for i in range(p - 1, len(s) - 1):  # sep position .. position of target[-2]
            labels[b, i] = s[i + 1]
    return labels


def build_prefix():
    out_dir = os.path.join(HERE, "prefix-lm")
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(SEED_PREFIX)
    cfg = marian_config(0)
    m32 = TernPrefixLM(cfg).eval()
    init_parameters(m32, SEED_PREFIX)
    with torch.no_grad():
        m32.model.shared.weight[PAD].zero_()
    assert not m32.model.decoder.embed_positions.weight.requires_grad

    sd32 = m32.state_dict()
    names = sorted(n for n in sd32 if "embed_positions" not in n)
    assert not any("encoder" in n for n in names)
    weights32 = {n: sd32[n].clone() for n in names}

    sources = [list(s) for s in SRC_CONTENT]  # no eos
    targets = [t + [EOS] for t in TGT_CONTENT]
    seqs = [s + [SEP] + t for s, t in zip(sources, targets)]
    lengths = [len(s) for s in seqs]
    prefix_lengths = [len(s) + 1 for s in sources]  # source + sep
    L = max(lengths)
    assert L <= MAX_POS
    input_ids = torch.tensor(pad_to(seqs, PAD))
    labels = prefix_labels(seqs, prefix_lengths, L)
    allowed = prefix_allowed(lengths, prefix_lengths, L)

    m64 = copy.deepcopy(m32).double().eval()
    mask64 = additive(allowed, torch.float64)
    named64 = dict(m64.named_parameters())
    for n in names:
        assert torch.equal(m64.state_dict()[n], weights32[n].double()), n

    m64.zero_grad(set_to_none=True)
    logits = m64(input_ids, mask64)
    loss, ntok = smoothed_ce(logits, labels, LABEL_SMOOTHING)
    assert ntok == sum(len(t) for t in targets)
    tok_loss = per_token_loss_manual(logits.detach(), labels, LABEL_SMOOTHING)
    assert abs(tok_loss.sum().item() / ntok - loss.item()) < 1e-12
    loss.backward()
    loss0, _ = smoothed_ce(logits.detach(), labels, 0.0)

    with torch.no_grad():
        # (a) Wiring check against HF MarianForCausalLM: with a plain causal+padding
        #     mask our stack must reproduce HF's decoder-only logits (+ bias).
        ccfg = marian_config(0)
        hf = MarianForCausalLM(ccfg).double().eval()
        hsd = {
            "model.decoder.embed_tokens.weight": m64.model.shared.weight,
            "lm_head.weight": m64.model.shared.weight,
        }
        for n in names:
            if n.startswith("model.decoder.layers."):
                hsd[n] = named64[n]
        missing, unexpected = hf.load_state_dict(hsd, strict=False)
        assert not unexpected, unexpected
        assert all("encoder_attn" in k or "embed_positions" in k for k in missing), missing
        assert torch.equal(hf.model.decoder.embed_positions.weight, m64.model.decoder.embed_positions.weight)
        am = torch.tensor(pad_to([[1] * n for n in lengths], 0))
        hf_logits = hf(input_ids=input_ids, attention_mask=am, use_cache=False).logits + m64.final_logits_bias
        causal = torch.zeros(len(seqs), L, L, dtype=torch.bool)
        for b, n in enumerate(lengths):
            for i in range(L):
                for j in range(L):
                    causal[b, i, j] = j < n and j <= i
        ours_causal = m64(input_ids, additive(causal, torch.float64))
        valid = am.bool()
        assert torch.allclose(ours_causal[valid], hf_logits[valid], rtol=0, atol=1e-12)

        # (b) Mask semantics: changing the last source token changes position 0
        #     (bidirectional prefix); changing a target token leaves every prefix
        #     position and all earlier positions unchanged.
        ids2 = input_ids.clone()
        ids2[0, prefix_lengths[0] - 2] = 28
        lg2 = m64(ids2, mask64)
        assert (lg2[0, 0] - logits[0, 0]).abs().max() > 1e-6
        ids3 = input_ids.clone()
        k = prefix_lengths[0] + 2
        ids3[0, k] = 28
        lg3 = m64(ids3, mask64)
        assert torch.equal(lg3[0, :k], logits[0, :k])
        assert (lg3[0, k] - logits[0, k]).abs().max() > 1e-6

        # (c) Padding invariance: per-sentence (unpadded) sums equal the batched sum.
        total = 0.0
        for b, s in enumerate(seqs):
            n = len(s)
            a1 = prefix_allowed([n], [prefix_lengths[b]], n)
            lg = m64(torch.tensor([s]), additive(a1, torch.float64))
            lb = prefix_labels([s], [prefix_lengths[b]], n)
            total += F.cross_entropy(lg[0], lb[0], label_smoothing=LABEL_SMOOTHING,
                                     ignore_index=IGNORE, reduction="sum").item()
        assert abs(total / ntok - loss.item()) < 1e-12

    assert m64.model.decoder.embed_positions.weight.grad is None
    grads = {}
    for n in names:
        g = named64[n].grad
        assert g is not None, n
        grads[n] = g.detach().clone()

    def loss_fn():
        with torch.no_grad():
            return smoothed_ce(m64(input_ids, mask64), labels, LABEL_SMOOTHING)[0]

    picks = [
        ("model.shared.weight", (5, 3)),
        ("model.shared.weight", (SEP, 1)),
        ("final_logits_bias", (0, 0)),
        ("final_logits_bias", (0, PAD)),
        ("model.decoder.layers.0.self_attn.q_proj.bias", (6,)),
        ("model.decoder.layers.0.self_attn.k_proj.weight", (1, 2)),
        ("model.decoder.layers.1.fc2.weight", (4, 9)),
        ("model.decoder.layers.1.self_attn_layer_norm.weight", (3,)),
        ("model.decoder.layers.0.final_layer_norm.bias", (2,)),
    ]
    fd_check(loss_fn, named64, picks)

    f32 = float32_agreement(m32, lambda m: m(input_ids, additive(allowed, torch.float32)),
                            labels, names, loss.item(), grads)
    structural_zeros = snap_structural_zeros(grads)
    raw_pad_norm = grads["model.shared.weight"][PAD].norm().item()
    grads["model.shared.weight"][PAD].zero_()
    assert torch.count_nonzero(grads["model.shared.weight"][PAD]) == 0

    save_tensors(weights32, os.path.join(out_dir, "model.safetensors"))
    save_tensors(grads, os.path.join(out_dir, "gradients.safetensors"))
    save_tensors({"logits": logits.detach(), "token_loss": tok_loss}, os.path.join(out_dir, "outputs.safetensors"))
    config = {
        "architectures": ["TernDecoderOnlyLM"],
        "model_type": "tern-decoder-only",
        "vocab_size": V,
        "decoder_vocab_size": V,
        "d_model": D_MODEL,
        "encoder_layers": 0,
        "decoder_layers": DEC_LAYERS,
        "encoder_attention_heads": HEADS,
        "decoder_attention_heads": HEADS,
        "encoder_ffn_dim": FFN,
        "decoder_ffn_dim": FFN,
        "max_position_embeddings": MAX_POS,
        "activation_function": "swish",
        "scale_embedding": True,
        "pad_token_id": PAD,
        "eos_token_id": EOS,
        "decoder_start_token_id": PAD,
        "tie_word_embeddings": True,
        "dropout": 0.0,
        "attention_dropout": 0.0,
        "activation_dropout": 0.0,
        "tern_mask": "prefix",
        "tern_separator_token_id": SEP,
    }
    write_json(os.path.join(out_dir, "config.json"), config)

    batch = {
        "architecture": "prefix-lm",
        "description": "One decoder-only prefix-LM batch over [source ; <sep>=2 ; target]; float64 reference on float32-initialised weights.",
        "sources": sources,
        "targets": targets,
        "sequences": seqs,
        "lengths": lengths,
        "prefix_lengths": prefix_lengths,
        "padded": {
            "input_ids": input_ids.tolist(),
            "labels": labels.tolist(),
            "positions": list(range(L)),
            "attention_allowed": allowed.int().tolist(),
        },
        "sequence_layout": "source (no eos) + [2] + target (ending with eos 0); right-padded with 29",
        "labels_rule": "labels[i] = seq[i+1] for P-1 <= i <= len-2 (the sep position predicts target[0], ..., the position of target[-2] predicts target[-1]); -100 elsewhere",
        "masks": "attention_allowed[b][i][j] = j < len_b and (j < P_b or j <= i); additive mask 0 / finfo(float64).min, shape [B,1,L,L], same for every head and layer. P_b = len(source_b) + 1",
        "positions_rule": "0..L-1 continuously over the whole sequence, HF MarianSinusoidalPositionalEmbedding ([sin | cos] halves)",
        "label_smoothing": LABEL_SMOOTHING,
        "ignore_index": IGNORE,
        "loss_definition": LOSS_DEFINITION,
        "normalisation": NORMALISATION,
        "num_target_tokens": ntok,
        "loss": loss.item(),
        "loss_no_label_smoothing": loss0.item(),
        "pad_row_gradient": "model.shared.weight row 29 gradient zeroed before storing (the Swift trainer does the same); final_logits_bias[29] gradient is kept",
        "raw_pad_row_grad_norm": raw_pad_norm,
        "structurally_zero_gradients": structural_zeros,
        "float32_torch_agreement": f32,
        "structurally_zero_note": "k_proj.bias gradients are exactly 0 analytically (softmax shift invariance); autograd round-off (<1e-12) replaced by exact 0",
        "final_logits_bias": "trainable nn.Parameter; shape [1, V]",
        "init": {
            "seed": SEED_PREFIX,
            "linear_weights_biases_embedding_final_logits_bias": "N(0, 0.3)",
            "layer_norm_weight": "1 + N(0, 0.1)",
            "layer_norm_bias": "N(0, 0.1)",
            "pad_row": "shared.weight[29] = 0",
            "dtype": "initialised in float32 (saved as-is), cast exactly to float64 for the reference",
        },
        "outputs_safetensors": "logits [B, L, V] (float64 result rounded to float32); token_loss [B, L] = per-position smoothed CE (0 where ignored), unnormalised",
        "versions": versions(),
    }
    write_json(os.path.join(out_dir, "batch.json"), batch)
    for f in os.listdir(out_dir):
        check_size(os.path.join(out_dir, f))
    return loss.item(), raw_pad_norm, names


def main():
    enc_loss, enc_pad, enc_names = build_encdec()
    pre_loss, pre_pad, pre_names = build_prefix()
    print(f"encdec:    loss={enc_loss!r}  raw pad-row grad norm={enc_pad!r}  tensors={len(enc_names)}")
    print(f"prefix-lm: loss={pre_loss!r}  raw pad-row grad norm={pre_pad!r}  tensors={len(pre_names)}")
    print("all checks passed")


if __name__ == "__main__":
    sys.exit(main())
