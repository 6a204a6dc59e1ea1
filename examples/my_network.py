"""A network of your own for cnn-tui: `cnn-tui train --model examples/my_network.py:MyNetwork`.

cnn-tui constructs the class with no arguments (or with num_classes=K for data with K classes)
and checks that it maps a [N, 3, 32, 32] batch to [N, num_classes] scores before training.
Change the layers, then summarise, train, evaluate and predict with it like a built-in model.
"""

import torch
import torch.nn as nn


class MyNetwork(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.pool2 = nn.MaxPool2d(2)
        self.linear1 = nn.Linear(32 * 8 * 8, 128)
        self.out = nn.Linear(128, num_classes)

    def forward(self, x):
        x = self.pool1(torch.relu(self.bn1(self.conv1(x))))
        x = self.pool2(torch.relu(self.bn2(self.conv2(x))))
        x = x.reshape(x.size(0), -1)
        x = torch.relu(self.linear1(x))
        return self.out(x)
