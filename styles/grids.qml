<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling|Fields" labelsEnabled="1">
  <renderer-v2 type="categorizedSymbol" attr="status" forceraster="0" symbollevels="0" enableorderby="0">
    <categories>
      <category value="in_band" label="在区间内 in band" symbol="0" render="true"/>
      <category value="below" label="低于下限 below the band" symbol="1" render="true"/>
      <category value="above" label="高于上限 above the band" symbol="2" render="true"/>
      <category value="dedicated" label="专属网格 dedicated grid" symbol="3" render="true"/>
      <category value="infeasible" label="经证明不可行 certified infeasible" symbol="4" render="true"/>
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,237,160,160"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="116,173,209,150"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="244,109,67,150"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="190,174,212,170"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="170,170,170,170"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fontFamily="Noto Sans CJK SC" fieldName="&quot;code&quot; || '\n' || CASE WHEN &quot;status&quot; = 'dedicated' THEN '专属网格' ELSE format_number(&quot;households&quot;, 0) || ' 户' END" isExpression="1" fontSize="8" fontSizeUnit="Point" textColor="30,30,30,255" textOpacity="1" multilineHeight="1" fontWeight="50" namedStyle="Regular">
        <families>
          <family name="Noto Sans CJK SC"/>
          <family name="Source Han Sans SC"/>
          <family name="WenQuanYi Micro Hei"/>
          <family name="Microsoft YaHei"/>
          <family name="PingFang SC"/>
          <family name="SimHei"/>
        </families>
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.9" bufferNoFill="1" bufferJoinStyle="128"/>
      </text-style>
      <text-format multilineAlign="1" wrapChar="" autoWrapLength="0" formatNumbers="0" decimals="0" plussign="0"/>
      <placement placement="1" dist="1" distUnits="MM" offsetType="0" priority="5" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" centroidInside="1" centroidWhole="0" fitInPolygonOnly="0"/>
      <rendering drawLabels="1" obstacle="1" obstacleType="1" displayAll="0" upsidedownLabels="0" scaleVisibility="0" fontLimitPixelSize="0" limitNumLabels="0" maxNumLabels="2000" mergeLines="0" minFeatureSize="0" labelPerPart="0" zIndex="0"/>
    </settings>
  </labeling>
  <aliases>
    <alias index="0" field="code" name="网格编码 grid code (15 digits)"/>
    <alias index="1" field="comm_code" name="社区代码 community code"/>
    <alias index="2" field="comm_name" name="社区名称 community name"/>
    <alias index="3" field="st_code" name="街道代码 street code"/>
    <alias index="4" field="st_name" name="街道名称 street name"/>
    <alias index="5" field="households" name="户数 households"/>
    <alias index="6" field="population" name="人口 population"/>
    <alias index="7" field="buildings" name="建筑数 buildings"/>
    <alias index="8" field="area_m2" name="面积（平方米） area (m²)"/>
    <alias index="9" field="polsby_pp" name="紧凑度（Polsby-Popper） compactness (Polsby-Popper)"/>
    <alias index="10" field="blk_split" name="被拆分街区数 road blocks split"/>
    <alias index="11" field="in_band" name="户数在规定区间内 households within band (1 = yes)"/>
    <alias index="12" field="target" name="目标户数 target households"/>
    <alias index="13" field="deviation" name="与目标户数偏差（%） deviation from target (%)"/>
    <alias index="14" field="hh_est" name="含估算户数 contains estimated households (1 = yes)"/>
    <alias index="15" field="dedicated" name="专属网格 dedicated grid (1 = yes)"/>
    <alias index="16" field="status" name="户数区间状态 band status (in_band, below, above, dedicated, infeasible)"/>
    <alias index="17" field="derived" name="临时社区（派生） community is provisional, derived (1 = yes)"/>
    <alias index="18" field="leader" name="网格长 grid leader"/>
    <alias index="19" field="instructor" name="网格指导员 grid instructor"/>
    <alias index="20" field="worker" name="专职网格员 full-time grid worker"/>
    <alias index="21" field="n_part" name="兼职网格员及志愿者（N） part-time workers and volunteers (N)"/>
  </aliases>
</qgis>
