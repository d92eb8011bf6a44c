"""The network definitions shared by the training scripts. The C++ forward passes in models/
mirror these layer for layer (same parameter names in the safetensors files)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import noise_level_embedding


class Toy2DDenoiser(nn.Module):
    """eps(x_t, noise level, dataset): an MLP over [x (2), Fourier features of x (4 * fourier),
    level embedding (32), one-hot (5)], with the conditioning (embedding + one-hot) projected
    and added to every hidden layer too (c2, c3), so the deeper layers see the noise level and
    the data set directly. Sharp 2-D shapes (spiral arms, checkerboard squares) need the Fourier
    features: an MLP on the raw coordinates learns them as blurred blobs.
    x_freqs (a buffer, saved with the weights) holds the angular frequencies pi * 2^(k-1),
    k = 0..fourier-1: periods 4 down to 4 / 2^(fourier-1) in data units.
    The MLP's output is v (as in v-prediction) and the forward returns
    eps = sqrt(1 - alpha_bar) x + sqrt(alpha_bar) v: at high noise eps is almost x_t, and a small
    error there is multiplied ~4x by DDIM-100's first step (alpha_bar 1e-5 -> 2.4e-4); with this
    skip the net no longer has to reproduce x_t to 1e-3 itself."""

    def __init__(self, hidden=128, datasets=5, emb=32, fourier=6):
        super().__init__()
        self.emb = emb
        self.datasets = datasets
        self.register_buffer("x_freqs", math.pi * 2.0 ** (torch.arange(fourier, dtype=torch.float32) - 1))
        cond = emb + datasets
        self.l1 = nn.Linear(2 + 4 * fourier + cond, hidden)
        self.l2 = nn.Linear(hidden, hidden)
        self.c2 = nn.Linear(cond, hidden)
        self.l3 = nn.Linear(hidden, hidden)
        self.c3 = nn.Linear(cond, hidden)
        self.out = nn.Linear(hidden, 2)

    def forward(self, x, alpha_bar, dataset):
        c = torch.cat([noise_level_embedding(alpha_bar, self.emb), F.one_hot(dataset, self.datasets).float()], 1)
        a = (x[:, :, None] * self.x_freqs[None, None, :]).flatten(1)  # [B, 2F]: x0 * f0..fF-1, x1 * f0..
        h = F.silu(self.l1(torch.cat([x, torch.sin(a), torch.cos(a), c], 1)))
        h = F.silu(self.l2(h) + self.c2(c))
        h = F.silu(self.l3(h) + self.c3(c))
        ab = alpha_bar.float()[:, None]
        return (1 - ab).sqrt() * x + ab.sqrt() * self.out(h)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.norm1 = nn.GroupNorm(8, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb, cout)
        self.norm2 = nn.GroupNorm(8, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, e):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(e)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return h + (self.skip(x) if self.skip is not None else x)


class DigitsDenoiser(nn.Module):
    """Class-conditional eps-prediction UNet for 20x20 digits; class 10 is 'no class' (for
    classifier-free guidance)."""

    def __init__(self, c=32, emb=128):
        super().__init__()
        self.emb_dim = 32
        self.t1 = nn.Linear(32, emb)
        self.t2 = nn.Linear(emb, emb)
        self.label = nn.Embedding(11, emb)
        self.conv_in = nn.Conv2d(1, c, 3, padding=1)
        self.res1 = ResBlock(c, c, emb)
        self.down1 = nn.Conv2d(c, 2 * c, 3, stride=2, padding=1)    # 20 -> 10
        self.res2 = ResBlock(2 * c, 2 * c, emb)
        self.down2 = nn.Conv2d(2 * c, 2 * c, 3, stride=2, padding=1)  # 10 -> 5
        self.mid1 = ResBlock(2 * c, 2 * c, emb)
        self.mid2 = ResBlock(2 * c, 2 * c, emb)
        self.up2 = nn.Conv2d(2 * c, 2 * c, 3, padding=1)             # after upsample 5 -> 10
        self.res3 = ResBlock(4 * c, 2 * c, emb)
        self.up1 = nn.Conv2d(2 * c, c, 3, padding=1)                 # after upsample 10 -> 20
        self.res4 = ResBlock(2 * c, c, emb)
        self.norm_out = nn.GroupNorm(8, c)
        self.conv_out = nn.Conv2d(c, 1, 3, padding=1)

    def forward(self, x, alpha_bar, label):
        e = self.t2(F.silu(self.t1(noise_level_embedding(alpha_bar, self.emb_dim)))) + self.label(label)
        e = F.silu(e)
        h0 = self.res1(self.conv_in(x), e)
        h1 = self.res2(self.down1(h0), e)
        h = self.down2(h1)
        h = self.mid2(self.mid1(h, e), e)
        h = self.up2(F.interpolate(h, scale_factor=2, mode="nearest"))
        h = self.res3(torch.cat([h, h1], 1), e)
        h = self.up1(F.interpolate(h, scale_factor=2, mode="nearest"))
        h = self.res4(torch.cat([h, h0], 1), e)
        return self.conv_out(F.silu(self.norm_out(h)))


class DigitsClassifier(nn.Module):
    """Judges generated digits (docs/MODELS.md): two conv layers and an MLP."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 5 * 5, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        h = F.avg_pool2d(F.relu(self.conv1(x)), 2)
        h = F.avg_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc2(F.relu(self.fc1(h.flatten(1))))


class DigitsGenerator(nn.Module):
    """Class-conditional DCGAN generator: z [B, 64] + label -> [B, 1, 20, 20] in [-1, 1]."""

    def __init__(self, z_dim=64, ch=64):
        super().__init__()
        self.z_dim = z_dim
        self.ch = ch
        self.label = nn.Embedding(10, 16)
        self.fc = nn.Linear(z_dim + 16, 2 * ch * 5 * 5)
        self.bn0 = nn.BatchNorm2d(2 * ch)
        self.up1 = nn.ConvTranspose2d(2 * ch, ch, 4, stride=2, padding=1)  # 5 -> 10
        self.bn1 = nn.BatchNorm2d(ch)
        self.up2 = nn.ConvTranspose2d(ch, 1, 4, stride=2, padding=1)       # 10 -> 20

    def forward(self, z, label):
        h = self.fc(torch.cat([z, self.label(label)], 1)).view(-1, 2 * self.ch, 5, 5)
        h = F.relu(self.bn0(h))
        h = F.relu(self.bn1(self.up1(h)))
        return torch.tanh(self.up2(h))


class DigitsDiscriminator(nn.Module):
    """Spectral-norm projection discriminator (training only; not shipped)."""

    def __init__(self, ch=64):
        super().__init__()
        self.c1 = nn.utils.spectral_norm(nn.Conv2d(1, ch, 4, stride=2, padding=1))
        self.c2 = nn.utils.spectral_norm(nn.Conv2d(ch, 2 * ch, 4, stride=2, padding=1))
        self.fc = nn.utils.spectral_norm(nn.Linear(2 * ch * 5 * 5, 1))
        self.proj = nn.utils.spectral_norm(nn.Embedding(10, 2 * ch * 5 * 5))

    def forward(self, x, label):
        h = F.leaky_relu(self.c1(x), 0.2)
        h = F.leaky_relu(self.c2(h), 0.2).flatten(1)
        return self.fc(h).squeeze(1) + (self.proj(label) * h).sum(1)


class DigitsVAE(nn.Module):
    """MLP VAE on 400 pixels in [0, 1]; the decoder gives Bernoulli means."""

    def __init__(self, z_dim):
        super().__init__()
        self.z_dim = z_dim
        self.enc1 = nn.Linear(400, 512)
        self.enc2 = nn.Linear(512, 256)
        self.mu = nn.Linear(256, z_dim)
        self.logvar = nn.Linear(256, z_dim)
        self.dec1 = nn.Linear(z_dim, 256)
        self.dec2 = nn.Linear(256, 512)
        self.dec3 = nn.Linear(512, 400)

    def encode(self, x):
        h = F.relu(self.enc2(F.relu(self.enc1(x.flatten(1)))))
        return self.mu(h), self.logvar(h)

    def decode(self, z):
        return torch.sigmoid(self.dec3(F.relu(self.dec2(F.relu(self.dec1(z)))))).view(-1, 1, 20, 20)


class CharMLP(nn.Module):
    """Bengio-style character model: the previous 8 characters (27 symbols, '.' = boundary)
    -> logits for the next."""

    def __init__(self, context=8, emb=24, hidden=256, vocab=27):
        super().__init__()
        self.context = context
        self.embed = nn.Embedding(vocab, emb)
        self.l1 = nn.Linear(context * emb, hidden)
        self.l2 = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, idx):
        h = self.embed(idx).flatten(1)
        h = torch.tanh(self.l1(h))
        h = torch.tanh(self.l2(h))
        return self.out(h)
