"""PyTorch anchor for Benchmarks/train_throughput.sh: trains Hugging Face's MarianMTModel with the
same configuration, data, batching and optimizer settings as `tern train`, on CPU with 2 threads,
and prints target tokens per second over the timed steps.

Usage: python3 train_throughput_torch.py --source IDS --target IDS --vocab-size V [--steps N] [--warmup-steps N]
(IDS files: one sentence of space-separated token ids per line, as `tern tokenize --ids` prints them.)
"""
import argparse
import time

import torch
from transformers import MarianConfig, MarianMTModel


def batches(sources, targets, max_tokens):
    """Length-sorted batches under a padded-token budget, as Tern's BatchPlan makes them."""
    order = sorted(range(len(sources)), key=lambda i: (len(sources[i]), len(targets[i]), i))
    batch, longest = [], 0
    for index in order:
        length = max(len(sources[index]), len(targets[index])) + 1
        if batch and (len(batch) + 1) * max(longest, length) > max_tokens:
            yield batch
            batch, longest = [], 0
        batch.append(index)
        longest = max(longest, length)
    if batch:
        yield batch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--vocab-size", type=int, required=True)
    parser.add_argument("--batch-tokens", type=int, default=4096)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--warmup-steps", type=int, default=10, help="untimed steps first")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(1)
    read = lambda path: [[int(t) for t in line.split()] for line in open(path, encoding="utf-8")]
    sources, targets = read(args.source), read(args.target)
    pairs = [(s, t) for s, t in zip(sources, targets) if s and t and len(s) <= 100 and len(t) <= 100]
    sources, targets = [p[0] for p in pairs], [p[1] for p in pairs]
    pad, eos = args.vocab_size - 1, 0
    config = MarianConfig(vocab_size=args.vocab_size, d_model=128, encoder_layers=4, decoder_layers=4, encoder_attention_heads=4,
                          decoder_attention_heads=4, encoder_ffn_dim=256, decoder_ffn_dim=256, max_position_embeddings=256,
                          activation_function="swish", scale_embedding=True, pad_token_id=pad, eos_token_id=eos,
                          decoder_start_token_id=pad, dropout=0.1)
    model = MarianMTModel(config)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98), eps=1e-9)
    loss_function = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1, reduction="sum")
    plan = list(batches(sources, targets, args.batch_tokens))
    generator = torch.Generator().manual_seed(1)
    order = torch.randperm(len(plan), generator=generator).tolist()
    timed_tokens, started = 0, None
    for step in range(args.warmup_steps + args.steps):
        if step == args.warmup_steps:
            started = time.perf_counter()
        batch = plan[order[step % len(plan)]]
        source_length = max(len(sources[i]) + 1 for i in batch)
        target_length = max(len(targets[i]) + 1 for i in batch)
        input_ids = torch.full((len(batch), source_length), pad)
        attention = torch.zeros((len(batch), source_length), dtype=torch.long)
        decoder_input = torch.full((len(batch), target_length), pad)
        labels = torch.full((len(batch), target_length), -100)
        for row, index in enumerate(batch):
            source, target = sources[index] + [eos], targets[index]
            input_ids[row, :len(source)] = torch.tensor(source)
            attention[row, :len(source)] = 1
            decoder_input[row, :len(target) + 1] = torch.tensor([pad] + target)
            labels[row, :len(target) + 1] = torch.tensor(target + [eos])
        tokens = int((labels != -100).sum())
        logits = model(input_ids=input_ids, attention_mask=attention, decoder_input_ids=decoder_input).logits
        loss = loss_function(logits.view(-1, args.vocab_size), labels.view(-1)) / tokens
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if started is not None:
            timed_tokens += tokens
    seconds = time.perf_counter() - started
    print(f"pytorch\t{torch.__version__}\t{args.steps} steps\t{timed_tokens} target tokens\t{timed_tokens / seconds:.0f} target tokens/s")


if __name__ == "__main__":
    main()
