"""Defaults in one place: paths and settings shared by the CLI and the app."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# Files that ship inside the package (the default image): found the same way from a checkout or a wheel.
ASSETS_DIR = PACKAGE_DIR / "assets"

APP_NAME = "cnn-tui"
# The data home, looked up from any folder (cnn_tui.ml.data.find_data_home): --data-dir, then $CNN_TUI_DATA,
# then ./data when it holds a data set (the lecture's layout), then the user's data folder.
DATA_ENV = "CNN_TUI_DATA"
CWD_DATA_DIR = Path("data")


def user_data_dir(env: Mapping[str, str] = os.environ) -> Path:
    """$XDG_DATA_HOME/cnn-tui, else ~/.local/share/cnn-tui: downloaded and imported data sets."""
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


def user_cache_dir(env: Mapping[str, str] = os.environ) -> Path:
    """$XDG_CACHE_HOME/cnn-tui, else ~/.cache/cnn-tui: decoded tensors of the user data folder's data sets."""
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / APP_NAME


@dataclass(frozen=True)
class Paths:
    """Where data and models live. `data_dir` None: the data home is looked up (see DATA_ENV); checkpoints
    and recorded runs stay in `models_dir`, relative to the working directory, as in the lecture."""

    data_dir: Path | None = None
    models_dir: Path = Path("models")


@dataclass(frozen=True)
class DownloadDefaults:
    """`cnn-tui data download` and the Training tab's D: torchvision's CIFAR-10 archive (CIFAR10.url, .tgz_md5)."""

    url: str = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    md5: str = "c58f30108f718f92721af3b95e74349a"
    url_env: str = "CNN_TUI_CIFAR10_URL"  # another mirror (or a local server in tests)
    # Seconds to wait for a connection and for each read: offline, a download fails in seconds, not minutes.
    timeout_s: float = 10.0
    chunk_bytes: int = 1 << 16
    # The archive's size (torchvision's file): a server sending more than this plus the margin is stopped there,
    # Content-Length or not, and the part deleted (the md5 could never match).
    archive_bytes: int = 170_498_071
    size_margin_bytes: int = 1 << 20

    @property
    def max_bytes(self) -> int:
        """The most a download may write before it is stopped: the archive's size plus the margin."""
        return self.archive_bytes + self.size_margin_bytes


DOWNLOAD_DEFAULTS = DownloadDefaults()


@dataclass(frozen=True)
class ArchiveLimits:
    """What a train.tar.gz / test.tar.gz pair may hold (`--data FOLDER`, `cnn-tui data import`), checked on each
    member's header before its bytes are read, so a small archive claiming huge members is refused at once.

    The real CIFAR-10 JPEG tarballs: train 50,011 members (50,000 images, 46 MB in all), test 10,011 (9.2 MB),
    the largest image 1,124 bytes; any 32×32 image is about 3 KB uncompressed. Each bound leaves a wide margin.
    """

    member_bytes: int = 1 << 20  # 1 MiB: about 900× CIFAR-10's largest image
    members: int = 500_000  # 10× CIFAR-10's train archive
    total_bytes: int = 1 << 30  # 1 GiB of member bytes: about 23× CIFAR-10's train archive
    # The pixels one image's header may claim (checked before decoding; 48 MB as RGB): a 4000×4000 photo, 15,625× a
    # CIFAR-10 image. A few hundred bytes can claim 30000×30000, which a decoder would allocate (2.7 GB) first.
    image_pixels: int = 16_000_000


ARCHIVE_LIMITS = ArchiveLimits()


@dataclass(frozen=True)
class AppConfig:
    """What the full-screen app starts with."""

    lang: str = "en"
    image: Path | None = None
    paths: Paths = field(default_factory=Paths)
    # The active network at start (--checkpoint); None: the one `cnn-tui train` writes, in paths.models_dir.
    checkpoint: Path | None = None
    # `cnn-tui serve` (unless --allow-files): every path typed in the app must lie in this folder.
    confine: Path | None = None
    # The Practice screen's record (--practice-record); None: PracticeDefaults.progress_file in user_data_dir().
    # `cnn-tui serve` gives each session one in its own folder.
    practice_record: Path | None = None

    @property
    def active_checkpoint(self) -> Path:
        return self.checkpoint or self.paths.models_dir / TRAIN_DEFAULTS.checkpoint.name


DEFAULT_IMAGE_NAME = "img.png"
# The Pixels tab's default image: the teaching test image, shipped in the package
# (python -m cnn_tui.core.test_image cnn_tui/assets/img.png makes it again).
DEFAULT_IMAGE_PATH = ASSETS_DIR / DEFAULT_IMAGE_NAME


@dataclass(frozen=True)
class ImageDefaults:
    """How images are loaded and shown in the Pixels tab."""

    # Transparent pixels are composited on white, as matplotlib's imshow shows them on a white figure.
    background: tuple[int, int, int] = (255, 255, 255)
    # Refuse images over Pillow's decompression-bomb error limit (2 × Image.MAX_IMAGE_PIXELS).
    max_pixels: int = 178_956_970
    # Images over this many pixels load with a "large image" note.
    large_pixels: int = 25_000_000
    # The lecture's all-black and all-white images are np.zeros / np.full([200, 200, 3]).
    builtin_size: int = 200
    # Side of the lecture's test image (data/img.jpg is 640×640).
    test_image_size: int = 640


IMAGE_DEFAULTS = ImageDefaults()


@dataclass(frozen=True)
class ServeDefaults:
    """`cnn-tui serve`: where it listens and how many browser sessions (one cnn-tui process each) it allows."""

    host: str = "127.0.0.1"  # this machine only; another address lets anyone on the network in (no login)
    port: int = 8000
    max_sessions: int = 8
    # Each session trains into its own folder here (its checkpoint and runs); data/ is shared by all.
    sessions_dir: Path = Path("models") / "classroom"
    # What a browser may ask of a session (everything it sends is hostile): the terminal size, one message's size,
    # messages per second (with a burst), and how long a session may sit without a message before it is ended.
    max_width: int = 500
    max_height: int = 200
    max_message_bytes: int = 64 * 1024
    messages_per_s: float = 200.0
    message_burst: int = 400
    idle_minutes: float = 30.0
    # Each session's address space (RLIMIT_AS), in MB: a session past it ends with a sentence, not a frozen page.
    session_memory_mb: int = 2048


SERVE_DEFAULTS = ServeDefaults()
SNAPSHOT_SIZE = (120, 36)


@dataclass(frozen=True)
class ExplainDefaults:
    """`cnn-tui explain`: how many steps it writes out, and the seed of random: inputs."""

    steps: int = 100
    seed: int = 0


EXPLAIN_DEFAULTS = ExplainDefaults()


@dataclass(frozen=True)
class TrainRecipe:
    """One way to train a model; `cnn-tui train --recipe NAME` starts from it and every field can be overridden.

    Each field is described once, in both languages, by its catalogue entry `cli.train.option.<field>`
    (locales/cli_train.toml), which `cnn-tui train --help` shows (tta, no option, below); why: docs/design.md."""

    name: str
    epochs: int
    batch_size: int
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9
    weight_decay: float = 0.0
    schedule: str = "constant"
    warmup: float = 0.0
    flip: bool = False
    crop: int = 0
    label_smoothing: float = 0.0
    normalize: bool = False
    seed: int = 0
    eval_batch_size: int = 1000
    precision: str = "fp32"
    min_steps: int = 0
    whiten: bool = False
    time_budget_s: float = 0.0
    # Not an option (the `best` recipe sets it): also report test accuracy with flip test-time augmentation
    # (logits of the image and its mirror image added) as a second, labelled number; the first stays plain.
    tta: bool = False


# The lecture: batch 8, Adam lr 1e-3, CrossEntropyLoss, ToTensor only; its printout shows 10 epochs.
LECTURE_RECIPE = TrainRecipe(name="lecture", epochs=10, batch_size=8)
# The quickest way to the lecture's accuracy and beyond (tuned with benchmarks/train_accuracy.py): ≥ 0.57 after
# 2–3 epochs, about 0.65 after 4. Learning rates above ~0.15 diverge for this network (it has no BatchNorm).
FAST_RECIPE = TrainRecipe(
    name="fast",
    epochs=4,
    batch_size=256,
    optimizer="sgd",
    lr=0.1,
    momentum=0.9,
    weight_decay=5e-4,
    schedule="onecycle",
    warmup=0.15,
    flip=True,
    crop=1,
    label_smoothing=0.1,
    normalize=True,
    min_steps=75,
)
# For the `resnet` model (BatchNorm, scaled logits): DAWNBench-ResNet-style SGD at a high learning rate, label
# smoothing 0.2, 2-pixel translations and bf16 autocast; tuned with benchmarks/resnet_tuning.py: 0.834 after 6
# epochs (lr 0.4: 0.825, 1.2: 0.834); 13 epochs reached 0.853 in 374 s of training on 2 shared CPU cores
# (benchmarks/best_model.py; 19 epochs: 0.858).
RESNET_RECIPE = TrainRecipe(
    name="resnet",
    epochs=13,
    batch_size=512,
    optimizer="sgd",
    lr=0.8,
    momentum=0.9,
    weight_decay=5e-4,
    schedule="onecycle",
    warmup=0.2,
    flip=True,
    crop=2,
    label_smoothing=0.2,
    normalize=True,
    precision="bf16",
)
# For `--model best` (issue 18): the resnet recipe plus airbench's whitened first layer, trained for as many epochs
# as fit 9 minutes of training on this machine (at most 30), so the whole command, decoding and testing included,
# ends within 10 minutes; bf16 where the hardware has it, else fp32 (AVX2: bf16 is 10× slower).
BEST_RECIPE = replace(RESNET_RECIPE, name="best", epochs=30, whiten=True, time_budget_s=540.0, tta=True)
RECIPES: dict[str, TrainRecipe] = {r.name: r for r in (LECTURE_RECIPE, FAST_RECIPE, RESNET_RECIPE, BEST_RECIPE)}


@dataclass(frozen=True)
class TrainDefaults:
    """`cnn-tui train / eval / predict / summary` defaults besides the recipe."""

    recipe: str = "fast"
    model: str = "lecture"
    # As in the lecture (it saves to model/image_classification.pth; cnn-tui keeps models in models/).
    checkpoint: Path = Path("models") / "image_classification.pth"
    device: str = "auto"  # auto (CUDA when present) | cpu | cuda
    top: int = 3  # predict: classes shown per image
    image_size: int = 32  # predict: images of any size are resized to this square


TRAIN_DEFAULTS = TrainDefaults()


@dataclass(frozen=True)
class TrainingTabDefaults:
    """The app's Training tab: how it trains beside the UI, reports progress and quits."""

    # torch threads while the app trains; 0 means as `cnn-tui train` chooses (cnn_tui.ml.threads: one
    # thread for small batches or busy cores, else every core; the UI thread needs ~8 % of a core).
    threads: int = 0
    # Every frame Textual draws costs the event loop ~7 ms of CPU on idle cores and ~25 ms beside training
    # threads, CPU the trainer then lacks: ten progress frames a second kept the tab at 81–86 % of
    # headless speed, four (and the chart once a second) at 91–92 % (benchmarks/README.md, "Training tab").
    update_interval_s: float = 0.25  # at most four progress messages a second
    chart_interval_s: float = 1.0  # the batch-loss chart is redrawn at most this often (and at every epoch's end)
    quit_wait_s: float = 5.0  # how long quitting waits for the trainer to finish its batch


TRAINING_TAB_DEFAULTS = TrainingTabDefaults()


@dataclass(frozen=True)
class FeatureMapDefaults:
    """The Feature maps tab: the lecture's layer it opens on, and how it shows results."""

    # The lecture: nn.Conv2d(in_channels=3, out_channels=3, kernel_size=3, stride=2, padding=0).
    out_channels: int = 3
    kernel_size: int = 3
    stride: int = 2
    padding: int = 0
    pool_kernel: int = 2  # MaxPool2d / AvgPool2d when pooling is switched on
    pool_stride: int = 2
    seed: int = 0  # random kernels: the numbers of torch.manual_seed(seed) then nn.Conv2d(...)
    colours: str = "auto"  # auto (diverging when a map has negative values) | diverging | sequential
    shrink: str = "peak"  # a block of values drawn as one pixel: peak (largest |value|) | mean
    spinner_delay_s: float = 0.15  # a run shows the spinner only after this long (no flashing)
    samples: int = 100  # test images offered in the trained network's view
    # Larger images are shrunk (block average, whole factor) before the convolution: 16 maps of a
    # 12-megapixel photo would take 1.5 GB. The lecture's 640×640 image is far below.
    max_pixels: int = 4_000_000


FEATURE_MAP_DEFAULTS = FeatureMapDefaults()


@dataclass(frozen=True)
class PredictDefaults:
    """The Predict tab: one image through the trained network, explained."""

    top: int = 5  # classes shown as bars, and offered for explanation (c)
    # torch threads for one image: its operations are too small to share between threads, and on busy
    # cores two threads that meet at every operation waited up to 30× longer (benchmarks/README.md).
    threads: int = 1


PREDICT_DEFAULTS = PredictDefaults()


@dataclass(frozen=True)
class Limits:
    """Every size a user can ask for, in one place; each is checked before anything is allocated.

    PyTorch itself allows far more. These bounds keep one request from taking the whole machine:
    each error message states the limit and this reason. The engine, the app's forms and keys,
    the commands and checkpoint loading all read them from here.
    """

    # The conv/pool step engine (cnn-tui explain, the Convolution and Pooling tabs): numbers one trace
    # holds or computes — the padded input, every window's products and the output. 50 million float64
    # numbers are about 400 MB and take well under a second.
    trace_numbers: int = 50_000_000
    # cnn-tui explain: a typed matrix or a source shape like random:3x256x256.
    matrix_side: int = 256
    matrix_cells: int = 1_000_000
    # cnn-tui explain's text report: the numbers it writes out as matrices (padded input, kernels, output).
    report_cells: int = 1_000_000
    # The Convolution and Pooling tabs: their matrices must fit on a screen.
    tab_side: int = 16
    tab_channels: int = 3
    tab_kernels: int = 4
    tab_kernel_size: int = 7
    tab_padding: int = 16
    tab_stride: int = 16
    tab_dilation: int = 16
    # The Feature maps tab's hand-made layer: its maps must stay readable and quick on a large image.
    feature_out_channels: int = 16
    feature_kernel_size: int = 11
    feature_stride: int = 8
    feature_padding: int = 10
    feature_pool: int = 8
    # Networks (cnn-tui summary / train, checkpoints, the Feature maps and Model tabs): 100 million parameters
    # are 400 MB of float32 weights (1.6 GB while training with Adam); 20 million activations per image are
    # 80 MB for one image's forward pass.
    model_parameters: int = 100_000_000
    model_activations: int = 20_000_000
    # Training and testing (cnn-tui train / eval / homework / summary, the Training tab's form).
    epochs: int = 1000
    batch_size: int = 65536
    # Decoding one image (cnn-tui predict, the app): the memory its decoding would need at its peak.
    image_bytes: int = 2_000_000_000
    # torch threads: more than a few per core only makes every thread wait (1000 threads ran 180× slower).
    threads_per_core: int = 4
    # The learner's own model file: importing it, building the network and the dummy-batch check together
    # (well under a second for a CIFAR-sized network); past this, the caller stops waiting (an endless loop?).
    own_code_seconds: float = 60.0


LIMITS = Limits()


@dataclass(frozen=True)
class PracticeDefaults:
    """`cnn-tui practice` and the app's Practice screen: exercises the engine checks."""

    # Streaks and progress per topic, in the user's data folder (user_data_dir) unless --progress names a file.
    progress_file: str = "practice.json"
    count: int = 10  # exercises on a --json worksheet
    max_count: int = 10_000  # the most a worksheet may have: each line is small, but not endless


PRACTICE_DEFAULTS = PracticeDefaults()
