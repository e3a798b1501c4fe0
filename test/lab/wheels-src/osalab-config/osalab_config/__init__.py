"""oslo.config-shaped options: register typed options per group, parse --config-file ini files."""
import argparse
import configparser


class Opt:
    def __init__(self, name, default=None, type=str, help=""):
        self.name, self.default, self.type, self.help = name, default, type, help

    def convert(self, raw):
        if self.type is bool:
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return self.type(raw)


class _Group:
    def __init__(self):
        self._values = {}

    def __getattr__(self, name):
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name)


class ConfigOpts:
    def __init__(self):
        self._opts = {}
        self.config_files = []

    def register_opts(self, opts, group="DEFAULT"):
        self._opts.setdefault(group, {}).update({o.name: o for o in opts})

    def __call__(self, argv=None, prog=None):
        parser = argparse.ArgumentParser(prog=prog)
        parser.add_argument("--config-file", action="append", default=[])
        args, rest = parser.parse_known_args(argv)
        self.config_files = args.config_file
        ini = configparser.ConfigParser(interpolation=None)
        ini.read(self.config_files)
        for group, opts in self._opts.items():
            g = _Group()
            for name, opt in opts.items():
                if group == "DEFAULT":
                    raw = ini.defaults().get(name)
                else:
                    raw = ini.get(group, name, fallback=None) if ini.has_section(group) else None
                g._values[name] = opt.default if raw is None else opt.convert(raw)
            if group == "DEFAULT":
                self.__dict__.update(g._values)
            else:
                setattr(self, group, g)
        return rest


CONF = ConfigOpts()
