import dataclasses
import math
import os

import pytest

from ganlab.core import tomlio
from ganlab.core.config import (
    ACTIVATIONS,
    CONFIG_VERSION,
    LOSSES,
    Config,
    ConfigError,
    all_keys,
    architecture_key,
    field_info,
)
from ganlab.core.files import write_atomic


def test_defaults_validate():
    cfg = Config()
    assert cfg.validate() is cfg
    # every default lies inside its own declared range
    for key in all_keys():
        info = field_info(key)
        v = cfg.get(key)
        if v is None:
            assert info["optional"]
            continue
        if info["choices"]:
            assert v in info["choices"]
        elif info["lo"] is not None:
            assert info["lo"] <= v <= info["hi"], key


def test_all_keys_are_dotted_and_unique():
    keys = all_keys()
    assert len(keys) == len(set(keys))
    assert "opt_d.lr" in keys and "train.k_d" in keys and "target.preset" in keys
    assert all(k.count(".") == 1 for k in keys)


def test_with_value_coerces_strings():
    cfg = Config()
    c = cfg.with_value("opt_d.lr", "1e-3")
    assert c.opt_d.lr == 0.001 and isinstance(c.opt_d.lr, float)
    c = cfg.with_value("train.batch_size", "256")
    assert c.train.batch_size == 256 and isinstance(c.train.batch_size, int)
    c = cfg.with_value("train.batch_size", "1e3")
    assert c.train.batch_size == 1000 and isinstance(c.train.batch_size, int)
    c = cfg.with_value("generator.width", 32.0)
    assert c.generator.width == 32 and isinstance(c.generator.width, int)
    c = cfg.with_value("train.loss", " minimax ")
    assert c.train.loss == "minimax"
    c = cfg.with_value("target.std", "0.2").with_value("target.std", "none")
    assert c.target.std is None


def test_with_value_returns_a_copy():
    cfg = Config()
    c = cfg.with_value("opt_g.lr", 1e-3)
    assert cfg.opt_g.lr == Config().opt_g.lr and c.opt_g.lr == 1e-3
    assert c.opt_d is cfg.opt_d or c.opt_d == cfg.opt_d


def test_with_values_applies_in_order():
    c = Config().with_values({"train.k_d": 5, "train.loss": "wgan-gp", "opt_d.beta1": "0"})
    assert (c.train.k_d, c.train.loss, c.opt_d.beta1) == (5, "wgan-gp", 0.0)


@pytest.mark.parametrize("key,value,parts", [
    ("opt_d.lr", 10, ["opt_d.lr", "1e-06", "1"]),
    ("opt_d.lr", "0", ["opt_d.lr", "1e-06"]),
    ("train.batch_size", 1, ["train.batch_size", "2", "16384"]),
    ("train.k_d", 51, ["train.k_d", "0", "50"]),
    ("generator.depth", 0, ["generator.depth", "1", "8"]),
    ("target.std", "0", ["target.std", "0.001", "10"]),
    ("theory.grid", 513, ["theory.grid", "512"]),
])
def test_out_of_range_names_field_and_range(key, value, parts):
    with pytest.raises(ConfigError) as e:
        Config().with_value(key, value)
    msg = str(e.value)
    for p in parts:
        assert p in msg, (p, msg)
    assert e.value.field == key


def test_range_message_is_exact_for_lr():
    with pytest.raises(ConfigError, match=r"opt_d\.lr: 10 is outside the allowed range in \[1e-06, 1\]"):
        Config().with_value("opt_d.lr", 10)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", float("nan"), float("inf")])
def test_non_finite_rejected(value):
    with pytest.raises(ConfigError, match="opt_g.lr"):
        Config().with_value("opt_g.lr", value)
    with pytest.raises(ConfigError, match="train.batch_size"):
        Config().with_value("train.batch_size", value)


@pytest.mark.parametrize("value", ["2.5", 2.5, "abc", "", True, [1]])
def test_bad_integer_rejected(value):
    with pytest.raises(ConfigError, match="train.k_g"):
        Config().with_value("train.k_g", value)


def test_whole_number_message_names_range():
    with pytest.raises(ConfigError, match=r"whole number in \[2, 16384\]"):
        Config().with_value("train.batch_size", "lots")


def test_k_d_and_k_g_both_zero_rejected():
    c = Config().with_value("train.k_d", 0)
    assert c.train.k_d == 0
    with pytest.raises(ConfigError, match="k_d"):
        c.with_value("train.k_g", 0)
    assert Config().with_value("train.k_g", 0).train.k_g == 0


@pytest.mark.parametrize("key", ["nonsense", "train.nonsense", "nosuch.lr", "opt_d.lr.x", ""])
def test_unknown_key(key):
    with pytest.raises(ConfigError, match="unknown key"):
        Config().with_value(key, 1)
    with pytest.raises(ConfigError, match="unknown key"):
        Config().get(key)


def test_bad_choice_lists_choices():
    with pytest.raises(ConfigError) as e:
        Config().with_value("train.loss", "wasserstein")
    msg = str(e.value)
    assert "train.loss" in msg and "wasserstein" in msg
    for name in LOSSES:
        assert name in msg
    with pytest.raises(ConfigError) as e:
        Config().with_value("generator.activation", "swish")
    for name in ACTIVATIONS:
        assert name in str(e.value)


def test_bad_preset_and_points_without_file():
    with pytest.raises(ConfigError, match="target.preset.*ring8"):
        Config().with_value("target.preset", "moon")
    with pytest.raises(ConfigError, match="target.points_file"):
        Config().with_value("target.preset", "points")
    c = Config().with_values({"target.points_file": "a.csv", "target.preset": "points"})
    assert c.target.preset == "points"


def test_with_values_validates_the_batch_as_a_whole():
    # either order works: the cross-field rule is checked once, at the end
    c = Config().with_values({"target.preset": "points", "target.points_file": "a.csv"})
    assert (c.target.preset, c.target.points_file) == ("points", "a.csv")
    c = Config().with_value("train.k_g", 0).with_values({"train.k_d": 0, "train.k_g": 1})  # (0, 0) in between
    assert (c.train.k_d, c.train.k_g) == (0, 1)
    with pytest.raises(ConfigError, match="k_d"):
        Config().with_values({"train.k_g": 0, "train.k_d": 0})
    with pytest.raises(ConfigError, match=r"opt_d\.lr.*1e-06"):
        Config().with_values({"opt_g.lr": 1e-3, "opt_d.lr": 10})
    with pytest.raises(ConfigError, match="train.batch_size"):
        Config().with_values({"train.batch_size": "many"})
    # a single edit is still validated on its own
    with pytest.raises(ConfigError, match="target.points_file"):
        Config().with_value("target.preset", "points")
    # validate=False defers the checks (for batches) but still coerces
    c = Config().with_value("opt_d.lr", "10", validate=False)
    assert c.opt_d.lr == 10.0
    with pytest.raises(ConfigError, match="opt_d.lr"):
        c.validate()


def test_text_field_rejects_numbers():
    with pytest.raises(ConfigError, match="train.loss"):
        Config().with_value("train.loss", 3)


# ---------------------------------------------------------------------- TOML
def _custom():
    return Config().with_values({
        "opt_d.lr": "3e-4", "opt_g.lr": 1e-5, "train.loss": "hinge", "train.k_d": 3,
        "generator.width": 17, "discriminator.activation": "tanh", "target.std": 0.123456789,
        "target.preset": "grid25", "noise.dist": "uniform", "train.seed": 2**31 - 1, "theory.bandwidth": 0.05,
    })


def test_toml_round_trip(tmp_path):
    for cfg in (Config(), _custom()):
        p = tmp_path / "c.toml"
        cfg.save(p)
        loaded = Config.load(p)
        assert loaded == cfg
        assert loaded.to_dict() == cfg.to_dict()
    # no temporary files left next to it
    assert [f.name for f in tmp_path.iterdir()] == ["c.toml"]


def test_toml_round_trip_with_quotes_in_paths(tmp_path):
    cfg = Config().with_values({"target.points_file": 'C:\\data\\my "pts".csv', "target.preset": "points"})
    p = tmp_path / "c.toml"
    cfg.save(p)
    assert Config.load(p).target.points_file == 'C:\\data\\my "pts".csv'


def test_toml_text_has_version_and_sections():
    text = Config().to_toml()
    assert text.splitlines()[0] == f"version = {CONFIG_VERSION}"
    for section in ("target", "generator", "discriminator", "opt_g", "opt_d", "noise", "train", "theory"):
        assert f"[{section}]" in text
    # None values are left out (TOML has no null)
    assert "std =" not in text.split("[generator]")[0]


def test_partial_toml_fills_defaults(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("[train]\nloss = 'minimax'\n")
    c = Config.load(p)
    assert c.train.loss == "minimax"
    assert dataclasses.replace(c, train=Config().train) == Config()


@pytest.mark.parametrize("text,parts", [
    ("this is = = not toml", ["not valid TOML"]),
    ("[train]\nloss = 'mini", ["not valid TOML"]),  # truncated
    ("version = 2\n", ["version", "2"]),
    ("version = '1'\n", ["version"]),
    ("[train]\nlearning_rate = 1\n", ["train.learning_rate", "unknown key"]),
    ("[training]\nk_d = 1\n", ["training", "unknown section"]),
    ("train = 5\n", ["train", "expected a table"]),
    ("[opt_d]\nlr = 10.0\n", ["opt_d.lr", "1e-06"]),
    ("[opt_d]\nlr = nan\n", ["opt_d.lr", "finite"]),
    ("[train]\nbatch_size = 'big'\n", ["train.batch_size"]),
    ("[train]\nk_d = 0\nk_g = 0\n", ["k_d"]),
])
def test_bad_toml_gives_config_error(tmp_path, text, parts):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as e:
        Config.load(p)
    for part in parts:
        assert part in str(e.value), (part, str(e.value))


def test_load_binary_and_missing(tmp_path):
    p = tmp_path / "bin.toml"
    p.write_bytes(b"\xff\xfe\x00garbage\x80")
    with pytest.raises(ConfigError, match="config"):
        Config.load(p)
    with pytest.raises(ConfigError, match="cannot read"):
        Config.load(tmp_path / "absent.toml")


def test_from_dict_rejects_non_dict():
    with pytest.raises(ConfigError):
        Config.from_dict([1, 2])


def test_tomlio_scalars():
    text = tomlio.dumps({"a": 1, "b": 1e-6, "c": True, "d": "x\"y", "e": [1, 2], "f": None, "t": {"g": float("inf")}})
    import tomllib

    data = tomllib.loads(text)
    assert data["a"] == 1 and data["b"] == 1e-6 and data["c"] is True and data["d"] == 'x"y'
    assert data["e"] == [1, 2] and "f" not in data and math.isinf(data["t"]["g"])
    with pytest.raises(TypeError):
        tomlio.dumps({"a": object()})


def test_write_atomic_replaces(tmp_path):
    p = tmp_path / "f.txt"
    write_atomic(p, "one")
    write_atomic(p, "two")
    assert p.read_text() == "two"
    write_atomic(p, b"\x00\x01")
    assert p.read_bytes() == b"\x00\x01"
    assert [f.name for f in tmp_path.iterdir()] == ["f.txt"]


# -------------------------------------------------------------- architecture
@pytest.mark.parametrize("key,value", [
    ("opt_d.lr", 1e-3), ("opt_g.beta1", 0.9), ("train.loss", "wgan-gp"), ("train.k_d", 5),
    ("train.batch_size", 64), ("train.seed", 3), ("train.gp_lambda", 10.0), ("target.preset", "grid25"),
    ("noise.dist", "uniform"), ("theory.samples", 500), ("train.threads", 2),
])
def test_architecture_key_ignores_hyperparameters(key, value):
    cfg = Config()
    assert architecture_key(cfg.with_value(key, value)) == architecture_key(cfg)


@pytest.mark.parametrize("key,value", [
    ("generator.width", 32), ("generator.depth", 3), ("discriminator.activation", "tanh"),
    ("discriminator.width", 128), ("noise.dim", 3), ("opt_d.name", "sgd"), ("opt_g.name", "sgd"),
    ("train.device", "cpu"),
])
def test_architecture_key_changes_for_architecture(key, value):
    cfg = Config()
    assert architecture_key(cfg.with_value(key, value)) != architecture_key(cfg)


def test_field_info():
    info = field_info("opt_d.lr")
    assert info["lo"] == 1e-6 and info["hi"] == 1.0 and info["help"]
    assert field_info("train.loss")["choices"] == LOSSES
    with pytest.raises(ConfigError):
        field_info("x.y")


def test_toml_strings_with_control_characters_round_trip(tmp_path):
    import tomllib

    for text in ['tab\there', 'cr\rlf\n', 'ctl\x01\x1f\x7f', 'back\\slash "quoted"', 'ünï €']:
        assert tomllib.loads(tomlio.dumps({"s": text}))["s"] == text
    cfg = Config().with_values({"target.points_file": "dir\tname/\x01pts.csv", "target.preset": "points"})
    p = tmp_path / "c.toml"
    cfg.save(p)
    assert Config.load(p) == cfg


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_write_atomic_file_mode(tmp_path):
    p = tmp_path / "out.csv"
    write_atomic(p, "a")
    assert p.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
    p.chmod(0o640)
    write_atomic(p, "b")
    assert p.stat().st_mode & 0o777 == 0o640 and p.read_text() == "b"


def test_target_std_limits_are_the_targets():
    from ganlab.core.target import MAX_STD, MIN_STD, GaussianMixture

    info = field_info("target.std")
    assert (info["lo"], info["hi"]) == (MIN_STD, MAX_STD)
    for std in (MIN_STD, MAX_STD):  # every std the config takes makes a valid mixture
        assert Config().with_value("target.std", std).target.std == std
        GaussianMixture([[0.0, 0.0]], std)


def test_preset_choices_are_the_presets_and_every_key_has_one_help_text():
    from ganlab.core.presets import PRESET_NAMES, PRESETS

    assert field_info("target.preset")["choices"] == PRESET_NAMES == (*PRESETS, "points")
    for key in all_keys():
        assert isinstance(field_info(key)["help"], str) and field_info(key)["help"].strip(), key
    # one field class, several sections: each key has its own text
    assert field_info("opt_g.lr")["help"] != field_info("opt_d.lr")["help"]
    assert "D" in field_info("discriminator.depth")["help"] and "G" in field_info("generator.depth")["help"]
    assert field_info("opt_g.beta2")["help"] == field_info("opt_d.beta2")["help"]
