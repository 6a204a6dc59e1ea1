"""The lecture's own training and test code (图像分类案例), as the baseline for the training benchmarks.

Only the data source differs: the lecture reads torchvision's CIFAR10; here the same images come from
an image-folder tree (train/<class>/*.jpg) through torchvision's ImageFolder with the same ToTensor.
Imported by train_speed.py and train_accuracy.py; run it directly to train the lecture's way:

    python benchmarks/lecture_loop.py --data data/cifar10-jpeg --epochs 5
    python benchmarks/lecture_loop.py --max-images 8000     # throughput only (benchmarks/train_speed.py)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader
from torchvision.datasets import ImageFolder
from torchvision.transforms import ToTensor

BATCH_SIZE = 8


class ImageClassification(nn.Module):
    def __init__(self):
        super(ImageClassification, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, stride=1, kernel_size=3)
        self.pool1 = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(6, 16, stride=1, kernel_size=3)
        self.pool2 = nn.MaxPool2d(kernel_size=2, stride=2)
        self.linear1 = nn.Linear(576, 120)
        self.linear2 = nn.Linear(120, 84)
        self.out = nn.Linear(84, 10)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = self.pool1(x)
        x = torch.relu(self.conv2(x))
        x = self.pool2(x)
        x = x.reshape(x.size(0), -1)
        x = torch.relu(self.linear1(x))
        x = torch.relu(self.linear2(x))
        return self.out(x)


def create_dataset(root: Path) -> tuple[ImageFolder, ImageFolder]:
    train = ImageFolder(str(root / "train"), transform=ToTensor())
    valid = ImageFolder(str(root / "test"), transform=ToTensor())
    return train, valid


def train(model: nn.Module, train_dataset, epochs: int, max_images: int | None = None) -> list[tuple[float, float]]:
    """The lecture's loop; returns (loss, seconds) per epoch. `max_images` cuts an epoch short (for throughput)."""
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    history = []
    for epoch_idx in range(epochs):
        dataloader = DataLoader(train_dataset, batch_size=BATCH_SIZE, shuffle=True)
        sam_num = 0
        total_loss = 0.0
        start = time.time()
        for x, y in dataloader:
            output = model(x)
            loss = criterion(output, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(y)
            sam_num += len(y)
            if max_images is not None and sam_num >= max_images:
                break
        seconds = time.time() - start
        print("epoch:%2s loss:%.5f time:%.2fs" % (epoch_idx + 1, total_loss / sam_num, seconds), flush=True)
        history.append((total_loss / sam_num, seconds))
    return history


def test(model: nn.Module, valid_dataset) -> float:
    dataloader = DataLoader(valid_dataset, batch_size=BATCH_SIZE, shuffle=False)
    model.eval()
    total_correct = 0
    total_samples = 0
    with torch.no_grad():
        for x, y in dataloader:
            output = model(x)
            total_correct += (torch.argmax(output, dim=-1) == y).sum()
            total_samples += len(y)
    accuracy = float(total_correct / total_samples)
    print("Acc: %.2f" % accuracy)
    return accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("data/cifar10-jpeg"))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-images", type=int, default=None, help="throughput only: stop after this many images, no test")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    train_dataset, valid_dataset = create_dataset(args.data)
    model = ImageClassification()
    start = time.perf_counter()
    if args.max_images:
        history = train(model, train_dataset, 1, max_images=args.max_images)
        print(f"RESULT images_per_s={args.max_images / history[0][1]:.1f} threads={torch.get_num_threads()}")
        return
    train(model, train_dataset, args.epochs)
    accuracy = test(model, valid_dataset)
    print(f"RESULT accuracy={accuracy:.4f} seconds={time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main()
